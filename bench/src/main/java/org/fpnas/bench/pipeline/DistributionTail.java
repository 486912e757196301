package org.fpnas.bench.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.fpnas.bench.KafkaRig;
import org.fpnas.schemas.AvroSerde;
import org.fpnas.schemas.Topics;
import org.fpnas.schemas.avro.DistributionUpdate;

/**
 * Follows a team's distributions topic from where it ends when created, so that a benchmark sees
 * its searches' new distributions as soon as they are committed (short polls, short fetch waits).
 */
final class DistributionTail implements AutoCloseable {
  private final KafkaConsumer<String, byte[]> consumer;
  private final AvroSerde<DistributionUpdate> serde;
  private final Map<String, Map<Integer, DistributionUpdate>> seen = new HashMap<>();

  DistributionTail(KafkaRig rig, String team) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, rig.bootstrapServers());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
    this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    this.serde = new AvroSerde<>(rig.registry(), DistributionUpdate.class);
    String topic = Topics.forTeam(team).distributions();
    List<TopicPartition> partitions = new ArrayList<>();
    for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
      partitions.add(new TopicPartition(topic, info.partition()));
    }
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    // seekToEnd is lazy; resolve the positions now, before anything is published.
    partitions.forEach(consumer::position);
  }

  /**
   * Waits until every search has a distribution of {@code iteration}; returns them by search id.
   */
  Map<String, DistributionUpdate> await(Set<String> searchIds, int iteration, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Map<String, DistributionUpdate> found = new HashMap<>();
      for (String id : searchIds) {
        DistributionUpdate u = seen.getOrDefault(id, Map.of()).get(iteration);
        if (u != null) {
          found.put(id, u);
        }
      }
      if (found.size() == searchIds.size()) {
        return found;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "only "
                + found.size()
                + " of "
                + searchIds.size()
                + " searches published a "
                + "distribution of iteration "
                + iteration
                + " within "
                + timeout);
      }
      for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(5))) {
        DistributionUpdate u = serde.deserialize(r.topic(), r.value());
        seen.computeIfAbsent(u.getSearchId(), k -> new HashMap<>()).put(u.getIteration(), u);
      }
    }
  }

  @Override
  public void close() {
    consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
  }
}
