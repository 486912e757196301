package org.fpnas.embedded;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code kafka.Kafka server.properties} in a child JVM started with this JVM's java binary and
 * class path, so that a fatal broker fault (Kafka halts its JVM) cannot take this process down.
 */
final class ChildProcessRuntime implements BrokerRuntime {

  private static final Logger LOG = LoggerFactory.getLogger(ChildProcessRuntime.class);
  private static final int TAIL_LINES = 40;
  private static final Duration KILL_WAIT = Duration.ofSeconds(10);

  private final List<String> jvmOptions;
  private Process process;
  private Thread shutdownHook;
  private Path logFile;
  private Path pidFile;

  ChildProcessRuntime(List<String> jvmOptions) {
    this.jvmOptions = List.copyOf(jvmOptions);
  }

  @Override
  public void launch(BrokerSettings settings) throws IOException {
    settings.writeServerProperties();
    logFile = settings.logFile();
    pidFile = settings.pidFile();
    if (Files.exists(logFile)) {
      // Keep the previous run's log for a post-mortem, but start this run's tail clean.
      Files.move(
          logFile,
          logFile.resolveSibling(logFile.getFileName() + ".1"),
          StandardCopyOption.REPLACE_EXISTING);
    }
    String classPath = System.getProperty("java.class.path", "");
    if (classPath.isBlank()) {
      throw new IllegalStateException(
          "java.class.path is empty: the child broker JVM needs this JVM's "
              + "class path (with the Kafka broker jars) to start");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    // Defaults go after the caller's options and only where the caller set nothing of the kind.
    addDefault(command, "-Xmx", "-Xmx1g");
    addDefault(command, "-XX:+Use", "-XX:+UseG1GC");
    addDefault(command, "-XX:MaxGCPauseMillis=", "-XX:MaxGCPauseMillis=20");
    addDefault(command, "-Djava.awt.headless=", "-Djava.awt.headless=true");
    command.add("-D" + ChildBrokerMain.EXIT_ON_STDIN_EOF + "=true");
    // The broker logs through slf4j; with slf4j-simple (the project's binding) keep it to warnings.
    addDefault(
        command,
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    addDefault(
        command,
        "-Dorg.slf4j.simpleLogger.showDateTime=",
        "-Dorg.slf4j.simpleLogger.showDateTime=true");
    addDefault(
        command,
        "-Dorg.slf4j.simpleLogger.dateTimeFormat=",
        "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSS");
    addDefault(
        command,
        "-Dorg.slf4j.simpleLogger.log.kafka.server.KafkaRaftServer=",
        "-Dorg.slf4j.simpleLogger.log.kafka.server.KafkaRaftServer=info");
    command.add("-cp");
    // The child runs in the data dir, so a relative entry (java -jar target/x.jar) must become
    // absolute.
    command.add(
        Arrays.stream(classPath.split(File.pathSeparator))
            .filter(entry -> !entry.isBlank())
            .map(entry -> Path.of(entry).toAbsolutePath().toString())
            .collect(Collectors.joining(File.pathSeparator)));
    command.add(ChildBrokerMain.class.getName());
    command.add(settings.serverPropertiesFile().toAbsolutePath().toString());

    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(settings.dataDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    // stdin stays a pipe on purpose: ChildBrokerMain exits when this JVM ends and the pipe closes.
    process = builder.start();
    Files.writeString(pidFile, process.pid() + "\n", StandardCharsets.UTF_8);
    Process started = process;
    shutdownHook =
        new Thread(() -> terminate(started, Duration.ofSeconds(15)), "fpnas-broker-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    LOG.debug("started child broker pid {}: {}", process.pid(), command);
  }

  private static void addDefault(List<String> command, String prefix, String option) {
    if (command.stream().noneMatch(o -> o.startsWith(prefix))) {
      command.add(option);
    }
  }

  @Override
  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  @Override
  public long pid() {
    return isAlive() ? process.pid() : -1;
  }

  @Override
  public void stop(Duration timeout) {
    if (process == null) {
      return;
    }
    terminate(process, timeout);
    cleanUp();
  }

  @Override
  public void kill() {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    await(process, KILL_WAIT);
    cleanUp();
  }

  @Override
  public Integer exitCode() {
    return process != null && !process.isAlive() ? process.exitValue() : null;
  }

  /**
   * Asks for a clean shutdown (stdin closed, then SIGTERM) and forces it when the timeout passes.
   */
  private static void terminate(Process p, Duration timeout) {
    if (!p.isAlive()) {
      return;
    }
    try {
      p.getOutputStream().close();
    } catch (IOException e) {
      // Already closed: the child sees end-of-file either way.
    }
    // Closing stdin is the first request; SIGTERM follows for a child that does not watch stdin.
    if (!await(p, Duration.ofMillis(Math.min(2_000, timeout.toMillis())))) {
      p.destroy();
    }
    if (!await(p, timeout)) {
      LOG.warn("broker pid {} did not stop within {} ms; killing it", p.pid(), timeout.toMillis());
      p.destroyForcibly();
      await(p, KILL_WAIT);
    }
  }

  private static boolean await(Process p, Duration timeout) {
    try {
      return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !p.isAlive();
    }
  }

  private void cleanUp() {
    if (shutdownHook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException e) {
        // The JVM is already shutting down; the hook runs or has run.
      }
      shutdownHook = null;
    }
    if (!process.isAlive() && pidFile != null) {
      try {
        Files.deleteIfExists(pidFile);
      } catch (IOException e) {
        LOG.debug("cannot delete {}", pidFile, e);
      }
    }
  }

  @Override
  public String diagnostics() {
    return logFile == null ? "" : tail(logFile, TAIL_LINES);
  }

  /** The last lines of a file, read from its end so a large log costs little. */
  static String tail(Path file, int lines) {
    if (!Files.exists(file)) {
      return "";
    }
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long length = raf.length();
      int chunk = (int) Math.min(length, 64 * 1024);
      byte[] bytes = new byte[chunk];
      raf.seek(length - chunk);
      raf.readFully(bytes);
      String text = new String(bytes, StandardCharsets.UTF_8);
      String[] all = text.split("\\R");
      int from = Math.max(0, all.length - lines);
      return String.join(System.lineSeparator(), Arrays.asList(all).subList(from, all.length));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
