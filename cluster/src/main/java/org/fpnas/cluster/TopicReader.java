package org.fpnas.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads whole topics without a consumer group: a snapshot up to the current end, a catch-up to the
 * end of what it has read so far, or a tail that follows new records. Only committed records are
 * read, so the output of an aborted transaction never shows up, and the end it reads to is the last
 * stable offset. Not thread-safe, but for {@link #wakeup}.
 */
public final class TopicReader implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(200);

  private final KafkaConsumer<String, byte[]> consumer;
  private final Set<TopicPartition> assigned = new HashSet<>();

  /**
   * @param clientSettings extra Kafka client settings, e.g. the SASL settings of a secure cluster
   *     or a client id
   */
  public TopicReader(String bootstrapServers, Map<String, String> clientSettings) {
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

  /**
   * Every committed record of the topics, from the beginning up to their end when called.
   *
   * @throws IllegalArgumentException when a topic does not exist
   * @throws IllegalStateException when the end is not reached within the timeout
   */
  public List<ConsumerRecord<String, byte[]>> snapshot(List<String> topics, Duration timeout) {
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    assignFromBeginning(topics, timeout);
    if (!readToEnd(out::add, timeout)) {
      throw new IllegalStateException("timed out after " + timeout + " reading " + topics);
    }
    return out;
  }

  /**
   * Hands over every record of the assigned partitions from where it stands up to their end now;
   * false when the end was not reached within the timeout (what was read stays read).
   */
  public boolean readToEnd(Consumer<ConsumerRecord<String, byte[]>> handler, Duration timeout) {
    if (assigned.isEmpty()) {
      return true;
    }
    Map<TopicPartition, Long> end = consumer.endOffsets(assigned, timeout);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!reached(end)) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      consumer.poll(POLL).forEach(handler);
    }
    return true;
  }

  /**
   * Follows the topics from the beginning, handing every record over, until {@code stop} says so.
   */
  public void follow(
      List<String> topics,
      Consumer<ConsumerRecord<String, byte[]>> handler,
      Predicate<ConsumerRecord<String, byte[]>> stop,
      Duration timeout) {
    assignFromBeginning(topics, Duration.ofSeconds(30));
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
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

  /**
   * The committed record at this offset of the partition, in place of what was assigned; null when
   * the partition has none there within the timeout (compacted or deleted away).
   */
  public ConsumerRecord<String, byte[]> recordAt(TopicPartition tp, long offset, Duration timeout) {
    assigned.clear();
    assigned.add(tp);
    consumer.assign(assigned);
    consumer.seek(tp, offset);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() - deadline < 0) {
      for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
        if (r.offset() >= offset) {
          return r.offset() == offset ? r : null;
        }
      }
      if (consumer.position(tp) > offset) {
        return null; // past it without a record: a transaction marker or compacted
      }
    }
    return null;
  }

  /**
   * Assigns every partition of the topics, from the beginning, for {@link #poll} or {@link
   * #readToEnd}, in place of what was assigned.
   *
   * @throws IllegalArgumentException when a topic does not exist
   */
  public void assignFromBeginning(List<String> topics, Duration timeout) {
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : topics) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
      if (infos == null || infos.isEmpty()) {
        throw new IllegalArgumentException(
            "topic " + topic + " does not exist (has the team submitted a search?)");
      }
      infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
    }
    assigned.clear();
    assigned.addAll(partitions);
    consumer.assign(assigned);
    consumer.seekToBeginning(partitions);
  }

  /**
   * Adds the partitions of the topics whose names match, as they exist now, from the beginning;
   * those assigned already keep their positions.
   */
  public void addMatching(Pattern names, Duration timeout) {
    List<TopicPartition> fresh = new ArrayList<>();
    for (Map.Entry<String, List<PartitionInfo>> t : consumer.listTopics(timeout).entrySet()) {
      if (names.matcher(t.getKey()).matches()) {
        for (PartitionInfo info : t.getValue()) {
          TopicPartition tp = new TopicPartition(info.topic(), info.partition());
          if (!assigned.contains(tp)) {
            fresh.add(tp);
          }
        }
      }
    }
    if (!fresh.isEmpty()) {
      assigned.addAll(fresh);
      consumer.assign(assigned);
      consumer.seekToBeginning(fresh);
    }
  }

  /** The partitions assigned now. */
  public Collection<TopicPartition> assigned() {
    return Set.copyOf(assigned);
  }

  /** The next committed records of the assigned partitions (none after the timeout). */
  public List<ConsumerRecord<String, byte[]>> poll(Duration timeout) {
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    consumer.poll(timeout).forEach(out::add);
    return out;
  }

  /**
   * Makes a blocked {@link #poll} return by throwing WakeupException in its thread; the only
   * thread-safe call.
   */
  public void wakeup() {
    consumer.wakeup();
  }

  /** Whether the topic exists (and the client may describe it). */
  public boolean exists(String topic, Duration timeout) {
    return partitionCount(topic, timeout) > 0;
  }

  /** The topic's partition count; 0 when it does not exist. */
  public int partitionCount(String topic, Duration timeout) {
    List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
    return infos == null ? 0 : infos.size();
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
