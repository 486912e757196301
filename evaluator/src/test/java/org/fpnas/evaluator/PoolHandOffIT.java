package org.fpnas.evaluator;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.fpnas.cluster.ShareGroups;
import org.fpnas.schemas.Topics;
import org.fpnas.testkit.KafkaInfra;
import org.fpnas.testkit.RealKafka;
import org.fpnas.testkit.TestClients;
import org.fpnas.testkit.TestTopics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A pool that replaces one of the other kind of group starts where that one left off, instead of
 * evaluating again every sample it evaluated (the share group reads from the earliest).
 */
@RealKafka
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PoolHandOffIT {
  private static final Duration WAIT = Duration.ofSeconds(15);

  @Test
  void aSharePoolAfterAClassicOneGetsOnlyWhatTheClassicGroupHasNotEvaluated(KafkaInfra infra)
      throws Exception {
    String samples = samplesTopic(infra);
    String classic = TestTopics.unique("handoff-classic");
    String share = TestTopics.unique("handoff-share");
    TopicPartition p0 = new TopicPartition(samples, 0);
    TopicPartition p1 = new TopicPartition(samples, 1);
    try (Admin admin = Admin.create(TestClients.adminProps(infra))) {
      // The classic pool evaluated offsets 0-2 of partition 0 and all of partition 1.
      admin
          .alterConsumerGroupOffsets(
              classic, Map.of(p0, new OffsetAndMetadata(3), p1, new OffsetAndMetadata(5)))
          .all()
          .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      ShareGroups.configure(admin, share, Map.of(), WAIT);
      assertEquals(
          Map.of(p0, 3L, p1, 5L),
          PoolHandOff.shareFromClassic(admin, classic, share, t -> true, WAIT),
          "the share group takes the classic group's positions");
    }
    try (KafkaShareConsumer<String, String> consumer = shareConsumer(infra, share)) {
      consumer.subscribe(List.of(samples));
      assertEquals(
          List.of("0-3", "0-4"),
          shareKeys(consumer, 2, Duration.ofSeconds(30)),
          "only the samples the classic group had not evaluated, though the group reads from the"
              + " earliest");
      assertEquals(
          List.of(), shareKeys(consumer, 0, Duration.ofSeconds(3)), "and nothing after them");
    }
    try (Admin admin = Admin.create(TestClients.adminProps(infra))) {
      assertEquals(
          Map.of(),
          PoolHandOff.shareFromClassic(admin, classic, share, t -> true, WAIT),
          "a share group ahead of the classic group stays where it is");
    }
  }

  @Test
  void aClassicPoolAfterASharePoolStartsWhereTheShareGroupLeftOff(KafkaInfra infra)
      throws Exception {
    String samples = samplesTopic(infra);
    String classic = TestTopics.unique("handoff-classic");
    String share = TestTopics.unique("handoff-share");
    try (Admin admin = Admin.create(TestClients.adminProps(infra))) {
      ShareGroups.configure(admin, share, Map.of(), WAIT);
    }
    try (KafkaShareConsumer<String, String> consumer = shareConsumer(infra, share)) {
      consumer.subscribe(List.of(samples));
      assertEquals(10, shareKeys(consumer, 10, Duration.ofSeconds(30)).size(), "the share pool");
    }
    Map<TopicPartition, Long> moved;
    try (Admin admin = Admin.create(TestClients.adminProps(infra))) {
      moved = PoolHandOff.classicFromShare(admin, classic, share, WAIT);
    }
    assertEquals(
        Map.of(new TopicPartition(samples, 0), 5L, new TopicPartition(samples, 1), 5L),
        moved,
        "the classic group takes the share group's positions");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(TestClients.producerProps(infra))) {
      producer.send(new ProducerRecord<>(samples, 1, "1-5", "new")).get(15, TimeUnit.SECONDS);
    }
    Map<String, Object> c = TestClients.consumerProps(infra, classic);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(samples));
      List<String> keys = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (keys.isEmpty() && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> keys.add(r.key()));
      }
      consumer.poll(Duration.ofSeconds(2)).forEach(r -> keys.add(r.key()));
      assertEquals(List.of("1-5"), keys, "only the sample published after the share pool left");
    }
  }

  /** A samples topic of a new team, 2 partitions, keys {@code <partition>-<offset>}, 5 each. */
  private static String samplesTopic(KafkaInfra infra) throws Exception {
    String samples = Topics.forTeam(TestTopics.unique("handoff")).samples();
    TestTopics.create(infra, 2, samples);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(TestClients.producerProps(infra))) {
      for (int p = 0; p < 2; p++) {
        for (int o = 0; o < 5; o++) {
          producer.send(new ProducerRecord<>(samples, p, p + "-" + o, "sample"));
        }
      }
      producer.flush();
    }
    return samples;
  }

  private static KafkaShareConsumer<String, String> shareConsumer(KafkaInfra infra, String group) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
    c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    c.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit");
    return new KafkaShareConsumer<>(c, new StringDeserializer(), new StringDeserializer());
  }

  /** Polls until {@code count} records came (accepting each), or the time is up; the keys. */
  private static List<String> shareKeys(
      KafkaShareConsumer<String, String> consumer, int count, Duration within) {
    List<String> keys = new ArrayList<>();
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline && (count == 0 || keys.size() < count)) {
      for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
        keys.add(r.key());
        consumer.acknowledge(r, AcknowledgeType.ACCEPT);
      }
      consumer.commitSync(WAIT);
    }
    keys.sort(null);
    return keys;
  }
}
