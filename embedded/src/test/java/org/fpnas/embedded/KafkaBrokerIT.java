package org.fpnas.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.fpnas.cluster.TopicAdmin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KafkaBrokerIT {

  @TempDir Path dir;

  @Test
  void childProcessBrokerKeepsItsDataAndPortAcrossStopStartAndKill() throws Exception {
    try (KafkaBroker broker = KafkaBroker.childProcess(dir)) {
      broker.start();
      String bootstrap = broker.bootstrapServers();
      long firstPid = broker.pid();
      assertTrue(firstPid > 0, "child pid");
      assertTrue(broker.isRunning());

      createTopic(bootstrap, "kept");
      produce(bootstrap, "kept", "k", "before restart");
      broker.stop();
      assertFalse(broker.isRunning());
      assertEquals(-1, broker.pid());
      assertFalse(
          ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false), "child ended");

      broker.start();
      assertEquals(bootstrap, broker.bootstrapServers(), "same port after restart");
      assertNotEquals(firstPid, broker.pid());
      produce(bootstrap, "kept", "k", "before the crash");
      assertEquals(List.of("before restart", "before the crash"), consume(bootstrap, "kept", 2));

      // A crash (SIGKILL) loses no acknowledged record, and the next start recovers the log.
      long secondPid = broker.pid();
      broker.kill();
      assertFalse(broker.isRunning());
      assertFalse(ProcessHandle.of(secondPid).map(ProcessHandle::isAlive).orElse(false), "killed");
      broker.start();
      assertEquals(List.of("before restart", "before the crash"), consume(bootstrap, "kept", 2));
    }
  }

  @Test
  void inProcessBrokerServesAndRefusesASecondOwnerOfItsDataDir() throws Exception {
    try (KafkaBroker broker = KafkaBroker.inProcess(dir).start()) {
      assertEquals(-1, broker.pid());
      createTopic(broker.bootstrapServers(), "inproc");
      produce(broker.bootstrapServers(), "inproc", "k", "v");
      assertEquals(List.of("v"), consume(broker.bootstrapServers(), "inproc", 1));

      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> KafkaBroker.inProcess(dir).start());
      assertTrue(e.getMessage().contains("already used"), e.getMessage());
    }
  }

  static void createTopic(String bootstrap, String topic) {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      TopicAdmin.createAndAwait(
          admin, List.of(new NewTopic(topic, 1, (short) 1)), Duration.ofSeconds(30));
    }
  }

  static void produce(String bootstrap, String topic, String key, String value) throws Exception {
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.ACKS_CONFIG,
                "all"),
            new StringSerializer(),
            new StringSerializer())) {
      producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
    }
  }

  static List<String> consume(String bootstrap, String topic, int count) {
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                "false"),
            new StringDeserializer(),
            new StringDeserializer())) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      List<String> values = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (values.size() < count && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          values.add(record.value());
        }
      }
      return values;
    }
  }
}
