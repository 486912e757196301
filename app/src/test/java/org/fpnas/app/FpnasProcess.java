package org.fpnas.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** An {@code fpnas} command in a child JVM, for tests that kill services by process id. */
final class FpnasProcess implements AutoCloseable {
  private final Process process;
  private final Path log;

  private FpnasProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static FpnasProcess start(Path log, String... args) {
    return start("256m", log, args);
  }

  /** With a heap of {@code maxHeap} (as for -Xmx): DJL evaluators hold a data set in memory. */
  static FpnasProcess start(String maxHeap, Path log, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + maxHeap);
    command.add("-XX:+UseSerialGC");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    try {
      Files.createDirectories(log.getParent());
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      return new FpnasProcess(p, log);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start fpnas " + String.join(" ", args) + ": " + e, e);
    }
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** True when the process ended (by itself) within the time. */
  boolean waitForExit(Duration timeout) {
    return waitFor(timeout);
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed or committed. */
  void kill() {
    process.destroyForcibly();
    waitFor(Duration.ofSeconds(30));
  }

  /** SIGTERM: the service closes cleanly. */
  void stop() {
    process.destroy();
    if (!waitFor(Duration.ofSeconds(60))) {
      kill();
    }
  }

  /** Waits until the process prints the line, or fails with the tail of its log. */
  void awaitOutput(String text, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (logText().contains(text)) {
        return;
      }
      if (!process.isAlive()) {
        throw new AssertionError(
            "fpnas process exited ("
                + process.exitValue()
                + ") before printing '"
                + text
                + "':\n"
                + tail());
      }
      sleep(100);
    }
    throw new AssertionError(
        "fpnas process did not print '" + text + "' within " + timeout + ":\n" + tail());
  }

  String tail() {
    String t = logText();
    return t.length() > 4000 ? t.substring(t.length() - 4000) : t;
  }

  private String logText() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private boolean waitFor(Duration d) {
    try {
      return process.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      stop();
    }
  }
}
