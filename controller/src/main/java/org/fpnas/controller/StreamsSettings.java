package org.fpnas.controller;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The Kafka Streams settings the controller's applications run with, in one place, so that {@link
 * ControllerService} and the topology tests ({@code TopologyTestDriver}) use the same ones.
 */
public final class StreamsSettings {
  /**
   * Whether the global thread uses the processing exception handler. Its constant in StreamsConfig
   * is deprecated because the setting goes in Kafka Streams 5.0, where it is always on.
   */
  private static final String GLOBAL_PROCESSING_HANDLER =
      "processing.exception.handler.global.enabled";

  private StreamsSettings() {}

  /**
   * The production settings of one application: exactly-once v2, and short intervals everywhere,
   * because the controller is a control plane in which every iteration waits on every hop.
   *
   * @param stateDir where this application keeps its local state (a cache of its changelogs)
   */
  public static Properties production(
      String applicationId, String bootstrapServers, Path stateDir) {
    Objects.requireNonNull(applicationId, "applicationId");
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(stateDir, "stateDir");
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "50");
    // The global thread handles processing errors like the stream threads (the default handler
    // fails either way); this is the default from Kafka Streams 5.0, and left unset Streams warns
    // of it at every start. The main consumer's partition assignor reads the Streams settings
    // again from the consumer's, so it is given there too.
    p.put(GLOBAL_PROCESSING_HANDLER, "true");
    p.put(StreamsConfig.mainConsumerPrefix(GLOBAL_PROCESSING_HANDLER), "true");
    // No record cache: a store change and its output go on at once, not at the next commit.
    p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "0");
    // New teams' topics are found by pattern on a metadata refresh; keep it short.
    p.put(StreamsConfig.consumerPrefix("metadata.max.age.ms"), "3000");
    p.put(StreamsConfig.producerPrefix("linger.ms"), "0");
    // A commit is requested whenever an iteration closes, so the next transaction often begins
    // while the broker still writes the last one's markers; it answers CONCURRENT_TRANSACTIONS and
    // the producer retries after this backoff (default 100 ms, which every evaluator would wait).
    p.put(StreamsConfig.producerPrefix("retry.backoff.ms"), "5");
    // A control plane: an iteration waits on every hop, so no hop may idle long.
    p.put(StreamsConfig.consumerPrefix("fetch.max.wait.ms"), "20");
    p.put(StreamsConfig.POLL_MS_CONFIG, "10");
    // A controller that died hands its tasks to another (or to itself restarted) when its session
    // expires: 10 s, not the consumer's default 45 s, as the evaluators' classic group.
    p.put(StreamsConfig.consumerPrefix("session.timeout.ms"), "10000");
    p.put(StreamsConfig.consumerPrefix("heartbeat.interval.ms"), "2000");
    return p;
  }
}
