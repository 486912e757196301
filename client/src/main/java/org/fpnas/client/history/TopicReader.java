package org.fpnas.client.history;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads whole topics without a consumer group: a snapshot up to the current end, or a tail that
 * follows new records. Only committed records are read, so the output of an aborted transaction
 * never shows up in a history.
 */
final class TopicReader implements AutoCloseable {
  private final KafkaConsumer<String, byte[]> consumer;

  TopicReader(String bootstrapServers, Map<String, String> clientSettings) {
    Properties p = new Properties();
    p.putAll(clientSettings);
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    // Looking at a topic must never create it (on a cluster that creates topics on first use).
    p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
  }

  /** Every committed record of the topics, from the beginning up to their end when called. */
  List<ConsumerRecord<String, byte[]>> snapshot(List<String> topics, Duration timeout) {
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    List<TopicPartition> partitions = partitions(topics, timeout);
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!reached(end)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out after " + timeout + " reading " + topics);
      }
      consumer.poll(Duration.ofMillis(200)).forEach(out::add);
    }
    return out;
  }

  /**
   * Follows the topics from the beginning, handing every record over, until {@code stop} says so.
   */
  void follow(
      List<String> topics,
      Consumer<ConsumerRecord<String, byte[]>> handler,
      Predicate<ConsumerRecord<String, byte[]>> stop,
      Duration timeout) {
    List<TopicPartition> partitions = partitions(topics, Duration.ofSeconds(30));
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
        handler.accept(r);
        if (stop.test(r)) {
          return;
        }
      }
      if (Thread.currentThread().isInterrupted()) {
        throw new IllegalStateException("interrupted while following " + topics);
      }
    }
    throw new IllegalStateException("timed out after " + timeout + " following " + topics);
  }

  /** Assigns every partition of the topics, from the beginning, for {@link #poll}. */
  void assignFromBeginning(List<String> topics, Duration timeout) {
    List<TopicPartition> partitions = partitions(topics, timeout);
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  /** The next committed records of the assigned partitions (none after the timeout). */
  List<ConsumerRecord<String, byte[]>> poll(Duration timeout) {
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    consumer.poll(timeout).forEach(out::add);
    return out;
  }

  /**
   * Makes a blocked {@link #poll} return by throwing WakeupException in its thread; the only
   * thread-safe call.
   */
  void wakeup() {
    consumer.wakeup();
  }

  /** Whether the topic exists (and the client may describe it). */
  boolean exists(String topic, Duration timeout) {
    List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
    return infos != null && !infos.isEmpty();
  }

  /** The topic's partition count; 0 when it does not exist. */
  int partitionCount(String topic, Duration timeout) {
    List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
    return infos == null ? 0 : infos.size();
  }

  private List<TopicPartition> partitions(List<String> topics, Duration timeout) {
    List<TopicPartition> out = new ArrayList<>();
    for (String topic : topics) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
      if (infos == null || infos.isEmpty()) {
        throw new IllegalArgumentException(
            "topic " + topic + " does not exist (has the team submitted a search?)");
      }
      infos.forEach(i -> out.add(new TopicPartition(i.topic(), i.partition())));
    }
    return out;
  }

  private boolean reached(Map<TopicPartition, Long> end) {
    for (var e : end.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() {
    consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
  }
}
