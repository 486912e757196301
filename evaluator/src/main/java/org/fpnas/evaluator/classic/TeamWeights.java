package org.fpnas.evaluator.classic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.fpnas.cluster.TopicReader;
import org.fpnas.schemas.TeamSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fair-share weight of each team, followed from the compacted {@code fpnas.teams} topic that
 * {@code fpnas team create} writes; a team without settings weighs 1.
 */
public final class TeamWeights implements ToDoubleFunction<String>, AutoCloseable {
  /** The topic of team settings (key: team; value: JSON with a "weight"). */
  static final String TOPIC = TeamSettings.TOPIC;

  private static final Logger LOG = LoggerFactory.getLogger(TeamWeights.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, Double> weights = new ConcurrentHashMap<>();
  private final String bootstrapServers;
  private final Map<String, String> clientSettings;
  private Thread follower;
  private volatile TopicReader reader;
  private volatile boolean closed;

  public TeamWeights(String bootstrapServers, Map<String, String> clientSettings) {
    this.bootstrapServers = bootstrapServers;
    this.clientSettings = Map.copyOf(clientSettings);
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
    try (TopicReader reader = new TopicReader(bootstrapServers, clientSettings)) {
      this.reader = reader;
      boolean assigned = false;
      while (!closed) {
        try {
          if (!assigned) {
            if (!reader.exists(TOPIC, Duration.ofSeconds(5))) {
              sleep(10_000); // no team has settings yet
              continue;
            }
            reader.assignFromBeginning(List.of(TOPIC), Duration.ofSeconds(5));
            assigned = true;
          }
          for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofSeconds(1))) {
            apply(
                r.key(), r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8));
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
    TopicReader r = reader;
    if (r != null) {
      r.wakeup(); // not interrupt(): an interrupted consumer logs errors while closing
    }
  }
}
