package org.fpnas.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.fpnas.embedded.KafkaBroker;
import org.fpnas.embedded.SchemaRegistryServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The broker (container or in-process) and registry of one test run; closed by JUnit at the end.
 */
final class SharedInfra implements KafkaInfra, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SharedInfra.class);

  static final String MODE_PROPERTY = "fpnas.testkit.broker";
  static final String IMAGE_PROPERTY = "fpnas.testkit.kafkaImage";

  /** The broker version the project builds against (docs/design.md, "Versions": Kafka 4.4.0). */
  static final String DEFAULT_IMAGE = "apache/kafka:4.4.0";

  private static final long DOCKER_CHECK_SECONDS = 20;

  /** Stops the broker: the container or the in-process one. */
  private final Runnable stopBroker;

  private final Path tempDir;
  private final SchemaRegistryServer registry;
  private final String bootstrapServers;
  private final String registryUrl;

  private SharedInfra(
      Runnable stopBroker, Path tempDir, String bootstrapServers, SchemaRegistryServer registry) {
    this.stopBroker = stopBroker;
    this.tempDir = tempDir;
    this.bootstrapServers = bootstrapServers;
    this.registry = registry;
    this.registryUrl = registry.url();
  }

  static SharedInfra start() {
    String mode = System.getProperty(MODE_PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
    boolean container =
        switch (mode) {
          case "auto" -> dockerAvailable();
          case "container" -> true;
          case "embedded" -> false;
          default ->
              throw new IllegalArgumentException(
                  "system property "
                      + MODE_PROPERTY
                      + " must be auto, "
                      + "embedded or container, was '"
                      + mode
                      + "'");
        };
    return container
        ? startContainer()
        : startEmbedded(
            "auto".equals(mode) ? "Docker is not available" : MODE_PROPERTY + "=" + mode);
  }

  private static SharedInfra startContainer() {
    String image = System.getProperty(IMAGE_PROPERTY, DEFAULT_IMAGE);
    long started = System.nanoTime();
    // The same share-group settings as the embedded broker (BrokerSettings): one replica of the
    // share state, locks as short as 1 s allowed per group, a 6 s share session with 1 s
    // heartbeats (a killed evaluator's partitions move on within seconds).
    KafkaContainer kafka =
        new KafkaContainer(DockerImageName.parse(image))
            .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR", "1")
            .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR", "1")
            .withEnv("KAFKA_GROUP_SHARE_MIN_RECORD_LOCK_DURATION_MS", "1000")
            .withEnv("KAFKA_GROUP_SHARE_SESSION_TIMEOUT_MS", "6000")
            .withEnv("KAFKA_GROUP_SHARE_MIN_SESSION_TIMEOUT_MS", "6000")
            .withEnv("KAFKA_GROUP_SHARE_HEARTBEAT_INTERVAL_MS", "1000")
            .withEnv("KAFKA_GROUP_SHARE_MIN_HEARTBEAT_INTERVAL_MS", "1000");
    kafka.start();
    try {
      SchemaRegistryServer registry = new SchemaRegistryServer(kafka.getBootstrapServers()).start();
      SharedInfra infra = new SharedInfra(kafka::stop, null, kafka.getBootstrapServers(), registry);
      LOG.info(
          "RealKafka: Docker is available; using container {} at {} and a schema registry at {} ({} ms)",
          image,
          infra.bootstrapServers,
          infra.registryUrl,
          elapsedMs(started));
      return infra;
    } catch (RuntimeException | Error e) {
      kafka.stop();
      throw e;
    }
  }

  private static SharedInfra startEmbedded(String why) {
    long started = System.nanoTime();
    Path dir;
    try {
      dir = Files.createTempDirectory("fpnas-testkit-kafka-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory for the test broker", e);
    }
    KafkaBroker kafka = KafkaBroker.inProcess(dir).start();
    try {
      SchemaRegistryServer registry = new SchemaRegistryServer(kafka.bootstrapServers()).start();
      SharedInfra infra = new SharedInfra(kafka::stop, dir, kafka.bootstrapServers(), registry);
      LOG.info(
          "RealKafka: {}; using an in-process KRaft broker at {} and a schema registry at {} ({} ms)",
          why,
          infra.bootstrapServers,
          infra.registryUrl,
          elapsedMs(started));
      return infra;
    } catch (RuntimeException | Error e) {
      kafka.stop();
      deleteQuietly(dir);
      throw e;
    }
  }

  /**
   * Asks Testcontainers whether Docker answers. The check runs aside with a timeout and any
   * failure, a missing class included, counts as "no Docker", so that it can neither hang nor fail
   * the run.
   */
  static boolean dockerAvailable() {
    CompletableFuture<Boolean> check = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                check.complete(DockerClientFactory.instance().isDockerAvailable());
              } catch (Throwable t) {
                check.complete(false);
              }
            },
            "fpnas-docker-check");
    thread.setDaemon(true);
    thread.start();
    try {
      return check.get(DOCKER_CHECK_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      LOG.warn(
          "RealKafka: the Docker check did not answer within {} s; treating Docker as unavailable",
          DOCKER_CHECK_SECONDS);
      return false;
    }
  }

  @Override
  public String bootstrapServers() {
    return bootstrapServers;
  }

  @Override
  public String schemaRegistryUrl() {
    return registryUrl;
  }

  /** Registry first (a client of the broker), then the broker, then its temporary data. */
  @Override
  public void close() {
    try {
      registry.close();
    } finally {
      try {
        stopBroker.run();
      } finally {
        if (tempDir != null) {
          deleteQuietly(tempDir);
        }
      }
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      LOG.debug("cannot delete {}", dir, e);
    }
  }

  private static long elapsedMs(long started) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
  }

  @Override
  public String toString() {
    return "KafkaInfra[" + bootstrapServers + ", " + registryUrl + "]";
  }
}
