package org.fpnas.controller;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.fpnas.controller.aggregator.PartitionCounts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Partition counts from the cluster, asked once per topic and again only when a record arrives on a
 * partition the cached count does not have (the topic grew). Shared by the aggregator's tasks.
 */
final class AdminPartitionCounts implements PartitionCounts, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AdminPartitionCounts.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final Admin admin;
  private final Map<String, Integer> counts = new ConcurrentHashMap<>();

  AdminPartitionCounts(Properties adminSettings) {
    this.admin = Admin.create(adminSettings);
  }

  @Override
  public int of(String topic, int seenPartition) {
    Integer known = counts.get(topic);
    if (known != null && known > seenPartition) {
      return known;
    }
    try {
      int n =
          admin
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
              .get(topic)
              .partitions()
              .size();
      counts.put(topic, n);
      return n;
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn(
          "cannot learn the partition count of {} ({}); its records are not checked for placement now",
          topic,
          e.toString());
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }
}
