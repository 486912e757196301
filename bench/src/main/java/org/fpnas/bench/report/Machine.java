package org.fpnas.bench.report;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The machine a run measured: numbers from different machines are not comparable, and on a shared
 * machine the load at the start says how noisy they may be.
 *
 * @param cores processors available to the JVM
 * @param memoryBytes physical memory
 * @param maxHeapBytes the JVM's maximum heap
 * @param jvm JVM vendor, name and version
 * @param os operating system and architecture
 * @param cpu CPU model, where the system says
 * @param loadAverage the one-minute load average at the start (negative where unknown)
 */
public record Machine(
    int cores,
    long memoryBytes,
    long maxHeapBytes,
    String jvm,
    String os,
    String cpu,
    double loadAverage) {

  /** This machine, now. */
  public static Machine current() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    long memory =
        os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getTotalMemorySize() : -1;
    return new Machine(
        Runtime.getRuntime().availableProcessors(),
        memory,
        Runtime.getRuntime().maxMemory(),
        System.getProperty("java.vm.vendor")
            + " "
            + System.getProperty("java.vm.name")
            + " "
            + System.getProperty("java.runtime.version"),
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " ("
            + System.getProperty("os.arch")
            + ")",
        cpuModel(),
        os.getSystemLoadAverage());
  }

  /** The facts by name, in a fixed order. */
  public Map<String, String> facts() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("cores", Integer.toString(cores));
    out.put("memory", gib(memoryBytes));
    out.put("max heap", gib(maxHeapBytes));
    out.put("JVM", jvm);
    out.put("OS", os);
    out.put("CPU", cpu);
    out.put(
        "load average at start",
        loadAverage < 0 ? "unknown" : String.format(Locale.ROOT, "%.2f", loadAverage));
    return out;
  }

  /** One line: "2 cores, 23.4 GiB memory, ...". */
  public String oneLine() {
    return cores
        + " cores, "
        + gib(memoryBytes)
        + " memory, "
        + gib(maxHeapBytes)
        + " max heap, "
        + jvm
        + ", "
        + os
        + ", "
        + cpu
        + ", load "
        + facts().get("load average at start");
  }

  private static String gib(long bytes) {
    return bytes < 0
        ? "unknown"
        : String.format(Locale.ROOT, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
  }

  private static String cpuModel() {
    Path info = Path.of("/proc/cpuinfo");
    try {
      if (Files.isReadable(info)) {
        for (String line : Files.readAllLines(info)) {
          if (line.startsWith("model name")) {
            return line.substring(line.indexOf(':') + 1).trim();
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // The model is informational; the architecture below still says something.
    }
    return System.getProperty("os.arch");
  }
}
