package org.fpnas.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

/**
 * What is wrong with the durability of existing topics, next to the cluster's defaults: fewer
 * replicas than {@code default.replication.factor}, or a {@code min.insync.replicas} below the
 * cluster's. fpnas creates its topics with the cluster's defaults; a topic created by an earlier
 * setup (one replica, say) keeps what it had however the cluster grew, and its records survive less
 * than the operator asked for.
 */
public final class ReplicationCheck {
  private ReplicationCheck() {}

  /** A cluster's defaults for new topics. */
  record Defaults(int replicationFactor, int minInsyncReplicas) {}

  /** A topic's fewest replicas of a partition and its {@code min.insync.replicas} (0: unknown). */
  record Topic(int replicas, int minInsyncReplicas) {}

  /**
   * One line per problem, naming the topic; empty when there is none, or when the topics cannot be
   * described. The cluster's defaults are read from a broker; without the right to, the number of
   * brokers up to 3 stands in for the replication factor and the minimum in sync is not checked.
   */
  public static List<String> problems(Admin admin, Collection<String> topics, Duration timeout) {
    if (topics.isEmpty()) {
      return List.of();
    }
    long ms = timeout.toMillis();
    try {
      Collection<Node> nodes = admin.describeCluster().nodes().get(ms, TimeUnit.MILLISECONDS);
      Defaults defaults = new Defaults(Math.min(3, nodes.size()), 0);
      if (!nodes.isEmpty()) {
        String broker = Integer.toString(nodes.iterator().next().id());
        Config config = configs(admin, ConfigResource.Type.BROKER, List.of(broker), ms).get(broker);
        if (config != null) {
          defaults =
              new Defaults(
                  intValue(config, "default.replication.factor", defaults.replicationFactor()),
                  intValue(config, TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, 0));
        }
      }
      Map<String, Config> topicConfigs = configs(admin, ConfigResource.Type.TOPIC, topics, ms);
      Map<String, Topic> found = new TreeMap<>();
      admin
          .describeTopics(topics)
          .allTopicNames()
          .get(ms, TimeUnit.MILLISECONDS)
          .forEach(
              (name, d) -> {
                Config c = topicConfigs.get(name);
                found.put(
                    name,
                    new Topic(
                        d.partitions().stream().mapToInt(p -> p.replicas().size()).min().orElse(0),
                        c == null ? 0 : intValue(c, TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, 0)));
              });
      return problems(found, defaults);
    } catch (ExecutionException | TimeoutException e) {
      return List.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while checking the topics' replication", e);
    }
  }

  /** One line per topic below the cluster's replication factor or minimum in sync. */
  static List<String> problems(Map<String, Topic> topics, Defaults cluster) {
    List<String> out = new ArrayList<>();
    topics.forEach(
        (name, t) -> {
          if (t.replicas() < cluster.replicationFactor()) {
            out.add(
                "topic "
                    + name
                    + " has "
                    + t.replicas()
                    + " replica(s) per partition, the cluster's default is "
                    + cluster.replicationFactor()
                    + ": its records survive no lost disk; raise it with kafka-reassign-partitions");
          }
          if (t.minInsyncReplicas() > 0 && t.minInsyncReplicas() < cluster.minInsyncReplicas()) {
            out.add(
                "topic "
                    + name
                    + " has min.insync.replicas="
                    + t.minInsyncReplicas()
                    + ", the cluster's default is "
                    + cluster.minInsyncReplicas()
                    + ": a write is acknowledged on fewer replicas than the cluster asks; raise it"
                    + " with kafka-configs --alter --add-config min.insync.replicas="
                    + cluster.minInsyncReplicas());
          }
        });
    return out;
  }

  /** The configs of the resources this client may describe (the others are left out), by name. */
  private static Map<String, Config> configs(
      Admin admin, ConfigResource.Type type, Collection<String> names, long ms)
      throws InterruptedException {
    Map<String, Config> out = new TreeMap<>();
    List<ConfigResource> resources = names.stream().map(n -> new ConfigResource(type, n)).toList();
    for (Map.Entry<ConfigResource, KafkaFuture<Config>> e :
        admin.describeConfigs(resources).values().entrySet()) {
      try {
        out.put(e.getKey().name(), e.getValue().get(ms, TimeUnit.MILLISECONDS));
      } catch (ExecutionException | TimeoutException denied) {
        // No right to read it (or no answer in time): left out of the check.
      }
    }
    return out;
  }

  private static int intValue(Config config, String name, int fallback) {
    ConfigEntry entry = config.get(name);
    if (entry == null || entry.value() == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(entry.value());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }
}
