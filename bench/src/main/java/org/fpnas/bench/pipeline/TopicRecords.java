package org.fpnas.bench.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a whole topic back, committed records only, each value with the broker's append time. */
public final class TopicRecords {
  private TopicRecords() {}

  /**
   * One record's value, when the broker appended it, and where.
   *
   * @param appendedAtMs the LogAppendTime of the record
   * @param partition its partition
   * @param value the decoded value
   */
  public record Timed<T>(long appendedAtMs, int partition, T value) {}

  /**
   * Every committed record of the topic up to its end now, decoded; records that {@code decode}
   * maps to null are left out (e.g. other searches).
   *
   * @throws IllegalStateException when the topic's records are not stamped with LogAppendTime (the
   *     benchmark's timings would then mean nothing)
   */
  public static <T> List<Timed<T>> read(
      String bootstrapServers, String topic, Function<ConsumerRecord<String, byte[]>, T> decode) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    List<Timed<T>> out = new ArrayList<>();
    Duration timeout = Duration.ofSeconds(60);
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo info : consumer.partitionsFor(topic, timeout)) {
        partitions.add(new TopicPartition(topic, info.partition()));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!reached(consumer, end)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("timed out after " + timeout + " reading " + topic);
        }
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.timestampType() != TimestampType.LOG_APPEND_TIME) {
            throw new IllegalStateException(
                "topic "
                    + topic
                    + " stamps records with "
                    + r.timestampType()
                    + ", not LogAppendTime; the benchmark creates its teams' topics itself, so a topic made elsewhere is in the way");
          }
          T value = decode.apply(r);
          if (value != null) {
            out.add(new Timed<>(r.timestamp(), r.partition(), value));
          }
        }
      }
    }
    return out;
  }

  private static boolean reached(
      KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }
}
