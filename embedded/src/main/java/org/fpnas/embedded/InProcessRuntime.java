package org.fpnas.embedded;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link KafkaRaftServer} in this JVM: fastest to start, for tests. A fatal broker fault halts
 * this JVM (Kafka's ProcessTerminatingFaultHandler), which is why it is not the default.
 */
final class InProcessRuntime implements BrokerRuntime {

  private static final Logger LOG = LoggerFactory.getLogger(InProcessRuntime.class);

  /**
   * slf4j-simple levels that keep the broker at warnings; set only where the user set nothing, and
   * read when a logger is created, so they must be in place before the broker's loggers exist.
   */
  private static final Map<String, String> QUIET_BROKER =
      Map.of(
          "org.slf4j.simpleLogger.log.kafka", "warn",
          "org.slf4j.simpleLogger.log.org.apache.kafka", "warn",
          "org.slf4j.simpleLogger.log.state.change.logger", "warn");

  private volatile KafkaRaftServer server;

  @Override
  public void launch(BrokerSettings settings) {
    QUIET_BROKER.forEach(
        (key, value) -> {
          if (System.getProperty(key) == null) {
            System.setProperty(key, value);
          }
        });
    KafkaConfig config = new KafkaConfig(settings.serverProperties(), false);
    KafkaRaftServer raftServer = new KafkaRaftServer(config, Time.SYSTEM);
    server = raftServer;
    raftServer.startup();
  }

  @Override
  public boolean isAlive() {
    return server != null;
  }

  @Override
  public long pid() {
    return -1;
  }

  @Override
  public void stop(Duration timeout) {
    KafkaRaftServer current = server;
    if (current == null) {
      return;
    }
    // shutdown() has no timeout of its own; run it aside so a stuck shutdown cannot hang the
    // caller.
    Thread stopper =
        new Thread(
            () -> {
              current.shutdown();
              current.awaitShutdown();
            },
            "fpnas-inprocess-broker-stop");
    stopper.setDaemon(true);
    stopper.start();
    try {
      stopper.join(timeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server = null;
    if (stopper.isAlive()) {
      LOG.warn(
          "in-process broker did not shut down within {} ms; leaving its threads behind",
          TimeUnit.MILLISECONDS.convert(timeout));
      throw new IllegalStateException(
          "in-process broker did not shut down within " + timeout.toMillis() + " ms");
    }
  }

  @Override
  public void kill() {
    throw new UnsupportedOperationException(
        "kill() needs a child-process broker (KafkaBroker.childProcess)");
  }

  @Override
  public String diagnostics() {
    return "";
  }

  @Override
  public Integer exitCode() {
    return null;
  }
}
