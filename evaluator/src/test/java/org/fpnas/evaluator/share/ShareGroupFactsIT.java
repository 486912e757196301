package org.fpnas.evaluator.share;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.fpnas.cluster.ShareGroups;
import org.fpnas.testkit.KafkaInfra;
import org.fpnas.testkit.RealKafka;
import org.fpnas.testkit.TestClients;
import org.fpnas.testkit.TestTopics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the evaluators rely on about share groups, checked on the test kit's real broker. */
@RealKafka
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShareGroupFactsIT {
  private static final Duration ADMIN = Duration.ofSeconds(15);

  @Test
  void theBrokerHasShareGroupsOn(KafkaInfra infra) {
    try (Admin admin = Admin.create(TestClients.adminProps(infra))) {
      ShareGroups.requireEnabled(admin, ADMIN);
    }
  }

  @Test
  void aGroupReadsOnlyCommittedSamplesFromTheEarliestOnceConfigured(KafkaInfra infra)
      throws Exception {
    String topic = TestTopics.createUnique(infra, "share-facts", 1);
    Map<String, Object> p = TestClients.producerProps(infra);
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, TestTopics.unique("share-facts-tx"));
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "aborted", "a")).get(15, TimeUnit.SECONDS);
      producer.abortTransaction();
      producer.beginTransaction();
      for (int i = 0; i < 3; i++) {
        producer.send(new ProducerRecord<>(topic, "committed-" + i, "c"));
      }
      producer.commitTransaction();
    }
    String unconfigured = TestTopics.unique("share-facts-default");
    String configured = TestTopics.unique("share-facts-configured");
    try (Admin admin = Admin.create(TestClients.adminProps(infra))) {
      assertEquals(
          "latest",
          ShareGroups.config(admin, unconfigured, ShareGroups.AUTO_OFFSET_RESET, ADMIN),
          "Kafka's default skips what was published before the group's first fetch");
      ShareGroups.configure(admin, configured, Map.of(), ADMIN);
    }
    try (KafkaShareConsumer<String, String> skipping = consumer(infra, unconfigured, 10)) {
      skipping.subscribe(List.of(topic));
      assertEquals(
          List.of(),
          keys(skipping, 0, Duration.ofSeconds(4)),
          "a default group skips earlier records");
    }
    try (KafkaShareConsumer<String, String> reading = consumer(infra, configured, 10)) {
      reading.subscribe(List.of(topic));
      assertEquals(
          List.of("committed-0", "committed-1", "committed-2"),
          keys(reading, 3, Duration.ofSeconds(20)),
          "earliest and read_committed: every committed record, no aborted one");
    }
  }

  @Test
  void recordLimitBoundsWhatOneConsumerAcquires(KafkaInfra infra) throws Exception {
    String topic = TestTopics.createUnique(infra, "share-limit", 1);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(TestClients.producerProps(infra))) {
      for (int i = 0; i < 6; i++) {
        producer.send(new ProducerRecord<>(topic, "k" + i, "v"));
      }
      producer.flush();
    }
    String group = TestTopics.unique("share-limit");
    try (Admin admin = Admin.create(TestClients.adminProps(infra))) {
      ShareGroups.configure(admin, group, Map.of(), ADMIN);
    }
    try (KafkaShareConsumer<String, String> one = consumer(infra, group, 2);
        KafkaShareConsumer<String, String> other = consumer(infra, group, 2)) {
      one.subscribe(List.of(topic));
      other.subscribe(List.of(topic));
      List<String> seen = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (seen.size() < 6 && System.nanoTime() < deadline) {
        for (KafkaShareConsumer<String, String> c : List.of(one, other)) {
          var records = c.poll(Duration.ofMillis(200));
          assertTrue(
              records.count() <= 2,
              "record_limit with max.poll.records=2 acquired " + records.count());
          for (ConsumerRecord<String, String> r : records) {
            seen.add(r.key());
            c.acknowledge(r, AcknowledgeType.ACCEPT);
          }
          c.commitSync(ADMIN);
        }
      }
      assertEquals(6, seen.size(), "every record once: " + seen);
      assertEquals(6, seen.stream().distinct().count(), "no record twice: " + seen);
    }
  }

  /**
   * Whether a share group spreads a partition over several members while members are fewer than
   * partitions: if each partition has one member, a dead member's samples wait for its session to
   * end and samples spread over at most as many evaluators as they hash onto partitions.
   */
  @Test
  void withFewerMembersThanPartitionsEachPartitionHasOneMember(KafkaInfra infra) throws Exception {
    String topic = TestTopics.createUnique(infra, "share-assign", 4);
    String group = TestTopics.unique("share-assign");
    try (Admin admin = Admin.create(TestClients.adminProps(infra));
        KafkaShareConsumer<String, String> one = consumer(infra, group, 1);
        KafkaShareConsumer<String, String> other = consumer(infra, group, 1)) {
      ShareGroups.configure(admin, group, Map.of(), ADMIN);
      one.subscribe(List.of(topic));
      other.subscribe(List.of(topic));
      Map<Integer, Integer> membersPerPartition = new HashMap<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline) {
        one.poll(Duration.ofMillis(200));
        other.poll(Duration.ofMillis(200));
        java.util.Collection<org.apache.kafka.clients.admin.ShareMemberDescription> members;
        try {
          members =
              admin
                  .describeShareGroups(List.of(group))
                  .describedGroups()
                  .get(group)
                  .get(15, TimeUnit.SECONDS)
                  .members();
        } catch (java.util.concurrent.ExecutionException e) {
          if (e.getCause() instanceof org.apache.kafka.common.errors.GroupIdNotFoundException) {
            continue; // the members' first heartbeat has not created the group yet
          }
          throw e;
        }
        membersPerPartition.clear();
        members.forEach(
            m ->
                m.assignment()
                    .topicPartitions()
                    .forEach(tp -> membersPerPartition.merge(tp.partition(), 1, Integer::sum)));
        boolean bothAssigned =
            members.size() == 2
                && members.stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty());
        if (bothAssigned && membersPerPartition.size() == 4) {
          break;
        }
      }
      assertEquals(
          4, membersPerPartition.size(), "every partition is assigned: " + membersPerPartition);
      assertEquals(
          Map.of(0, 1, 1, 1, 2, 1, 3, 1),
          membersPerPartition,
          "members per partition with 2 members on 4 partitions");
    }
  }

  private static KafkaShareConsumer<String, String> consumer(
      KafkaInfra infra, String group, int maxRecords) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
    c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    c.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit");
    c.put(ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG, "record_limit");
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxRecords);
    return new KafkaShareConsumer<>(c, new StringDeserializer(), new StringDeserializer());
  }

  /** Polls until {@code count} records came (accepting each), or the time is up; then the keys. */
  private static List<String> keys(
      KafkaShareConsumer<String, String> consumer, int count, Duration within) {
    List<String> keys = new ArrayList<>();
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline && (count == 0 || keys.size() < count)) {
      for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
        keys.add(r.key());
        consumer.acknowledge(r, AcknowledgeType.ACCEPT);
      }
      consumer.commitSync(ADMIN);
    }
    return keys;
  }
}
