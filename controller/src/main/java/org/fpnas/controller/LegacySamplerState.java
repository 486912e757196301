package org.fpnas.controller;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.IntegerDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.fpnas.controller.aggregator.LegacySampler;
import org.fpnas.schemas.Topics;

/**
 * Reads what the sampler of a controller before the aggregator drew the samples had sampled, from
 * the changelog of its {@code sampler-sampled-iteration} store (committed records only, from the
 * beginning to the end when called). Nothing writes that changelog any more, so it is read whole
 * once, at start, before the aggregator runs; absent (a cluster that never ran such a controller),
 * nothing was sampled.
 */
final class LegacySamplerState {
  static final String CHANGELOG =
      Topics.SAMPLER_APPLICATION_ID + "-sampler-sampled-iteration-changelog";

  private LegacySamplerState() {}

  static LegacySampler read(Properties clientSettings, Duration timeout) {
    Properties p = new Properties();
    p.putAll(clientSettings);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    Map<String, Integer> last = new HashMap<>();
    try (KafkaConsumer<String, Integer> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new IntegerDeserializer())) {
      List<PartitionInfo> infos = consumer.listTopics(timeout).get(CHANGELOG);
      if (infos == null || infos.isEmpty()) {
        return LegacySampler.NONE;
      }
      List<TopicPartition> partitions =
          infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp, timeout) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("timed out after " + timeout + " reading " + CHANGELOG);
        }
        consumer
            .poll(Duration.ofMillis(200))
            .forEach(
                r -> {
                  if (r.key() != null && r.value() != null) {
                    last.merge(r.key(), r.value(), Math::max);
                  }
                });
      }
    }
    return new LegacySampler(last);
  }
}
