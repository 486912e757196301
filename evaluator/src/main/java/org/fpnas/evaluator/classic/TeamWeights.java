package org.fpnas.evaluator.classic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fair-share weight of each team, followed from the compacted {@code fpnas.teams} topic that
 * {@code fpnas team create} writes; a team without settings weighs 1.
 */
public final class TeamWeights implements ToDoubleFunction<String>, AutoCloseable {
  /** The topic of team settings (key: team; value: JSON with a "weight"). */
  static final String TOPIC = "fpnas.teams";

  private static final Logger LOG = LoggerFactory.getLogger(TeamWeights.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, Double> weights = new ConcurrentHashMap<>();
  private final Properties props = new Properties();
  private Thread follower;
  private volatile KafkaConsumer<String, String> consumer;
  private volatile boolean closed;

  public TeamWeights(String bootstrapServers, Map<String, String> clientSettings) {
    props.putAll(clientSettings);
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
  }

  @Override
  public double applyAsDouble(String team) {
    return weights.getOrDefault(team, 1.0);
  }

  public TeamWeights start() {
    follower = new Thread(this::follow, "fpnas-team-weights");
    follower.setDaemon(true);
    follower.start();
    return this;
  }

  private void follow() {
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      this.consumer = consumer;
      boolean assigned = false;
      while (!closed) {
        try {
          if (!assigned) {
            assigned = assign(consumer);
            if (!assigned) {
              sleep(10_000); // no team has settings yet
              continue;
            }
          }
          for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofSeconds(1))) {
            apply(r.key(), r.value());
          }
        } catch (org.apache.kafka.common.errors.WakeupException e) {
          // close() asks the loop to end
        } catch (RuntimeException e) {
          // Kafka unreachable for a while (a broker restart): keep the last known weights and
          // retry.
          LOG.debug("team weights not readable right now: {}", e.toString());
          sleep(1_000);
        }
      }
    }
  }

  private static boolean assign(KafkaConsumer<String, String> consumer) {
    List<PartitionInfo> partitions = consumer.partitionsFor(TOPIC, Duration.ofSeconds(5));
    if (partitions == null || partitions.isEmpty()) {
      return false;
    }
    consumer.assign(
        partitions.stream().map(p -> new TopicPartition(TOPIC, p.partition())).toList());
    return true;
  }

  void apply(String team, String json) {
    if (team == null) {
      return;
    }
    if (json == null) {
      weights.remove(team);
      return;
    }
    try {
      JsonNode node = JSON.readTree(json);
      double w = node.path("weight").asDouble(1.0);
      weights.put(team, w > 0 ? w : 1.0);
    } catch (java.io.IOException e) {
      LOG.warn("unreadable settings of team {} in {}: {}", team, TOPIC, e.getMessage());
    }
  }

  private void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    }
  }

  @Override
  public void close() {
    closed = true;
    KafkaConsumer<String, String> c = consumer;
    if (c != null) {
      c.wakeup(); // not interrupt(): an interrupted consumer logs errors while closing
    }
  }
}
