package org.fpnas.bench.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An fpnas service ({@code controller}, {@code evaluator}, {@code dashboard}) in a JVM of its own,
 * started from this JVM's class path, so that its memory can be measured apart: the heap in use
 * after a full collection ({@code jcmd GC.run}, then {@code GC.heap_info}) and the resident set.
 */
final class ServiceProcess implements AutoCloseable {
  private static final String MAIN = "org.fpnas.app.Main";
  private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K");
  private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");

  private final String name;
  private final Process process;
  private final Path log;

  private ServiceProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** Starts {@code fpnas <args>} with the given maximum heap; output goes to {@code log}. */
  static ServiceProcess start(String name, String maxHeap, Path log, List<String> args)
      throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + maxHeap,
                "-cp",
                System.getProperty("java.class.path"),
                MAIN));
    command.addAll(args);
    Files.createDirectories(log.getParent());
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new ServiceProcess(name, p, log);
  }

  String name() {
    return name;
  }

  /** The heap in use after a full collection, in MiB. */
  double heapAfterGcMib() throws IOException, InterruptedException {
    requireAlive();
    jcmd("GC.run");
    Matcher m = HEAP_USED.matcher(jcmd("GC.heap_info"));
    if (!m.find()) {
      throw new IllegalStateException("no heap figure from jcmd GC.heap_info for " + name);
    }
    return Long.parseLong(m.group(1)) / 1024.0;
  }

  /** The resident set size (heap, metaspace, native memory such as RocksDB's), in MiB. */
  double residentMib() throws IOException {
    requireAlive();
    Matcher m =
        RSS.matcher(Files.readString(Path.of("/proc", Long.toString(process.pid()), "status")));
    if (!m.find()) {
      throw new IllegalStateException("no VmRSS in /proc for " + name);
    }
    return Long.parseLong(m.group(1)) / 1024.0;
  }

  private String jcmd(String command) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(process.pid()),
                command)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException("jcmd " + command + " failed for " + name + ": " + out);
    }
    return out;
  }

  private void requireAlive() throws IOException {
    if (!process.isAlive()) {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      throw new IllegalStateException(
          name
              + " exited ("
              + process.exitValue()
              + "): "
              + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())));
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
