package org.fpnas.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Client settings for tests against a {@link KafkaInfra}, and a bounded way to read records back.
 */
public final class TestClients {

  private TestClients() {}

  /**
   * Producer settings: the infra's bootstrap servers, {@code acks=all}, idempotence, String
   * serializers (pass serializer instances to the producer to use others). A fresh, mutable map.
   */
  public static Map<String, Object> producerProps(KafkaInfra infra) {
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    // A test should fail in seconds, not in the default minute, when the broker is unreachable.
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    return props;
  }

  /**
   * Consumer settings for a group: the infra's bootstrap servers, reading from the earliest offset,
   * no auto-commit, String deserializers. A fresh, mutable map.
   */
  public static Map<String, Object> consumerProps(KafkaInfra infra, String group) {
    Objects.requireNonNull(group, "group");
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    return props;
  }

  /** Admin client settings: the infra's bootstrap servers. A fresh, mutable map. */
  public static Map<String, Object> adminProps(KafkaInfra infra) {
    Map<String, Object> props = new HashMap<>();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
    return props;
  }

  /**
   * Polls until {@code count} records have arrived and returns them (perhaps more, in arrival
   * order); throws {@link AssertionError} saying how many came when the timeout passes first.
   */
  public static <K, V> List<ConsumerRecord<K, V>> consume(
      Consumer<K, V> consumer, int count, Duration timeout) {
    List<ConsumerRecord<K, V>> records = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (records.size() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "expected "
                + count
                + " records within "
                + timeout.toMillis()
                + " ms but got "
                + records.size()
                + " from "
                + consumer.assignment());
      }
      consumer.poll(Duration.ofMillis(100)).forEach(records::add);
    }
    return records;
  }
}
