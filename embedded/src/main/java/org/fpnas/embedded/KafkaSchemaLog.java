package org.fpnas.embedded;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.fpnas.cluster.TopicAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SchemaLog} on a single-partition compacted Kafka topic, read by one tailing consumer
 * thread.
 */
final class KafkaSchemaLog implements SchemaLog {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaSchemaLog.class);

  private final String bootstrapServers;
  private final Map<String, String> clientProperties;
  private final String topic;
  private final TopicPartition partition;
  private Admin admin;
  private KafkaProducer<byte[], byte[]> producer;
  private KafkaConsumer<byte[], byte[]> consumer;
  private Thread tailer;
  private volatile boolean running;

  KafkaSchemaLog(String bootstrapServers, String topic, Map<String, String> clientProperties) {
    this.bootstrapServers = bootstrapServers;
    this.clientProperties = clientProperties;
    this.topic = topic;
    this.partition = new TopicPartition(topic, 0);
  }

  @Override
  public void open(Sink sink, Duration timeout) throws Exception {
    Properties adminConfig = new Properties();
    adminConfig.putAll(clientProperties);
    adminConfig.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    adminConfig.setProperty(AdminClientConfig.CLIENT_ID_CONFIG, "fpnas-schema-registry-admin");
    adminConfig.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
    adminConfig.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    admin = Admin.create(adminConfig);
    int nodes =
        admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
    // Three copies where the cluster has them, like Confluent's registry; one on a single node.
    short replicas = (short) Math.max(1, Math.min(3, nodes));
    NewTopic newTopic =
        new NewTopic(topic, 1, replicas)
            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    TopicAdmin.createAndAwait(admin, List.of(newTopic), timeout);
    TopicDescription description =
        admin
            .describeTopics(List.of(topic))
            .allTopicNames()
            .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
            .get(topic);
    if (description.partitions().size() != 1) {
      throw new IllegalStateException(
          "schema topic '"
              + topic
              + "' has "
              + description.partitions().size()
              + " partitions; the registry needs exactly 1 to keep its records in order");
    }

    Properties producerConfig = new Properties();
    producerConfig.putAll(clientProperties);
    producerConfig.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    producerConfig.setProperty(ProducerConfig.CLIENT_ID_CONFIG, "fpnas-schema-registry-producer");
    producerConfig.setProperty(ProducerConfig.ACKS_CONFIG, "all");
    producerConfig.setProperty(ProducerConfig.LINGER_MS_CONFIG, "0");
    producerConfig.setProperty(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
    producerConfig.setProperty(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    producerConfig.setProperty(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
    producer =
        new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());

    Properties consumerConfig = new Properties();
    consumerConfig.putAll(clientProperties);
    consumerConfig.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    consumerConfig.setProperty(ConsumerConfig.CLIENT_ID_CONFIG, "fpnas-schema-registry-reader");
    consumerConfig.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    consumerConfig.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumer =
        new KafkaConsumer<>(
            consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    // Assigned, not subscribed: every registry instance reads the whole topic, no group needed.
    consumer.assign(List.of(partition));
    consumer.seekToBeginning(List.of(partition));

    running = true;
    tailer = new Thread(() -> tail(sink), "schema-registry-reader-" + topic);
    tailer.setDaemon(true);
    tailer.start();
  }

  private void tail(Sink sink) {
    try {
      while (running) {
        try {
          for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            sink.record(record.offset(), record.key(), record.value());
          }
          sink.position(consumer.position(partition, Duration.ofSeconds(5)));
        } catch (WakeupException e) {
          // close() woke us; the loop condition decides.
        } catch (RuntimeException e) {
          if (!running) {
            break;
          }
          LOG.warn("reading schema topic '{}' failed; retrying: {}", topic, e.toString());
          sleepQuietly(1_000);
        }
      }
    } finally {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
  }

  @Override
  public long endOffset(Duration timeout) throws Exception {
    return admin
        .listOffsets(Map.of(partition, OffsetSpec.latest()))
        .partitionResult(partition)
        .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .offset();
  }

  @Override
  public long append(byte[] key, byte[] value, Duration timeout) throws Exception {
    return producer
        .send(new ProducerRecord<>(topic, 0, key, value))
        .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .offset();
  }

  @Override
  public String describe() {
    return "topic '" + topic + "' at " + bootstrapServers;
  }

  @Override
  public void close() {
    running = false;
    if (tailer != null) {
      // The tailer closes the consumer on its way out; KafkaConsumer is not thread-safe.
      consumer.wakeup();
      try {
        tailer.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } else if (consumer != null) {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
    if (admin != null) {
      admin.close(Duration.ofSeconds(5));
    }
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
