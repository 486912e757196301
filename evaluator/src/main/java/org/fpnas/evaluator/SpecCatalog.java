package org.fpnas.evaluator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
import org.fpnas.schemas.AvroSerde;
import org.fpnas.schemas.Topics;
import org.fpnas.schemas.avro.SearchSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The search specs of every team, read from the compacted searches topics. Evaluators need a
 * sample's search to know its space and settings; the catalogue reads on demand, when a sample of
 * an unknown search arrives.
 */
final class SpecCatalog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SpecCatalog.class);

  private final KafkaConsumer<String, byte[]> consumer;
  private final AvroSerde<SearchSpec> serde;
  private final Map<String, SearchSpec> specs = new HashMap<>();
  private final Set<TopicPartition> assigned = new HashSet<>();

  SpecCatalog(
      String bootstrapServers, AvroSerde<SearchSpec> serde, Map<String, String> clientSettings) {
    Properties p = new Properties();
    p.putAll(clientSettings);
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    this.serde = serde;
  }

  /**
   * The spec of a search, or null when the searches topics, read to their end, do not have it after
   * {@code wait}. While Kafka cannot be reached it keeps trying (a broker restart must not turn
   * good samples into failures); {@code stopping} ends the wait early.
   */
  synchronized SearchSpec find(
      String searchId, Duration wait, java.util.function.BooleanSupplier stopping) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      SearchSpec spec = specs.get(searchId);
      if (spec != null || stopping.getAsBoolean()) {
        return spec;
      }
      boolean caughtUp = false;
      try {
        caughtUp = catchUp(deadline);
      } catch (org.apache.kafka.common.KafkaException e) {
        LOG.warn("cannot read the searches topics yet: {}", e.getMessage());
        sleep(500);
      }
      if (caughtUp && System.nanoTime() > deadline) {
        return specs.get(searchId);
      }
    }
  }

  /** Reads the searches topics towards their end; true when it got there. */
  private boolean catchUp(long deadline) {
    assignNewPartitions();
    if (assigned.isEmpty()) {
      sleep(100);
      return System.nanoTime() > deadline;
    }
    Map<TopicPartition, Long> end = consumer.endOffsets(assigned, Duration.ofSeconds(5));
    while (!reached(end)) {
      if (System.nanoTime() > deadline + Duration.ofSeconds(30).toNanos()) {
        return false;
      }
      for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
        try {
          SearchSpec spec = serde.deserialize(r.topic(), r.value());
          if (spec != null) {
            specs.put(spec.getSearchId(), spec);
          }
        } catch (RuntimeException e) {
          LOG.warn(
              "unreadable search spec at {}-{}@{} skipped: {}",
              r.topic(),
              r.partition(),
              r.offset(),
              e.getMessage());
        }
      }
    }
    return true;
  }

  private boolean reached(Map<TopicPartition, Long> end) {
    for (var e : end.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  private void assignNewPartitions() {
    List<TopicPartition> all = new ArrayList<>();
    for (Map.Entry<String, List<PartitionInfo>> t :
        consumer.listTopics(Duration.ofSeconds(5)).entrySet()) {
      if (Topics.SEARCHES_PATTERN.matcher(t.getKey()).matches()) {
        for (PartitionInfo p : t.getValue()) {
          all.add(new TopicPartition(p.topic(), p.partition()));
        }
      }
    }
    if (!assigned.containsAll(all)) {
      List<TopicPartition> fresh = all.stream().filter(tp -> !assigned.contains(tp)).toList();
      assigned.addAll(all);
      consumer.assign(assigned);
      consumer.seekToBeginning(fresh);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public synchronized void close() {
    consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
  }
}
