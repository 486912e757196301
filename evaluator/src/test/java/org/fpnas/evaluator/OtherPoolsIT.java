package org.fpnas.evaluator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.fpnas.cluster.EvaluatorGroups;
import org.fpnas.cluster.EvaluatorGroups.Group;
import org.fpnas.cluster.EvaluatorGroups.Kind;
import org.fpnas.schemas.SchemaRegistryClient;
import org.fpnas.schemas.Topics;
import org.fpnas.testkit.KafkaInfra;
import org.fpnas.testkit.RealKafka;
import org.fpnas.testkit.TestClients;
import org.fpnas.testkit.TestTopics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A share pool and a classic pool are separate readers of the samples topics, so on one team they
 * would both evaluate every sample: the share pool leaves a topic that the classic group holds, and
 * a classic Java pool refuses to start beside live share members.
 */
@RealKafka
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class OtherPoolsIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void theSharePoolLeavesASamplesTopicThatTheClassicGroupHoldsAndTakesItBackWhenItGoes(
      KafkaInfra infra) throws Exception {
    String team = TestTopics.unique("pools");
    String samples = Topics.forTeam(team).samples();
    TestTopics.create(infra, 4, samples);
    try (SampleTopics topics =
        new SampleTopics(infra.bootstrapServers(), Map.of(), Set.of(team), System::nanoTime)) {
      assertEquals(Set.of(samples), topics.current(), "nobody else serves the team");
      // A librdkafka evaluator does what this consumer does: joins the classic group.
      Map<String, Object> c = TestClients.consumerProps(infra, Topics.EVALUATORS_GROUP);
      c.put(ConsumerConfig.CLIENT_ID_CONFIG, "classic-" + team);
      c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      try (KafkaConsumer<String, String> classic =
          new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
        classic.subscribe(List.of(samples));
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (classic.assignment().isEmpty() && System.nanoTime() < deadline) {
          classic.poll(Duration.ofMillis(200));
        }
        assertEquals(4, classic.assignment().size(), "the classic member holds the topic");
        assertTrue(
            awaitTopics(topics, Set.of()), "the share pool leaves the classic group's topic alone");
      }
      assertTrue(
          awaitTopics(topics, Set.of(samples)), "and serves it again once the classic member left");
    }
  }

  @Test
  void aClassicJavaPoolRefusesToStartWhileTheShareGroupHasMembers(KafkaInfra infra)
      throws Exception {
    String team = TestTopics.unique("pools");
    String group = TestTopics.unique("pools-share");
    TestTopics.create(infra, 4, Topics.forTeam(team).samples());
    SchemaRegistryClient registry = new SchemaRegistryClient(infra.schemaRegistryUrl());
    try (EvaluatorService share =
            new EvaluatorService(infra.bootstrapServers(), registry)
                .shareGroup(true)
                .shareGroupId(group)
                .teams(Set.of(team))
                .idPrefix("share-" + team)
                .start();
        Admin admin = Admin.create(TestClients.adminProps(infra))) {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (OtherPools.shareMembers(admin, group, WAIT).isEmpty()
          && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      EvaluatorService classic =
          new EvaluatorService(infra.bootstrapServers(), registry)
              .classicGroup(true)
              .shareGroupId(group);
      IllegalStateException refused = assertThrows(IllegalStateException.class, classic::start);
      assertTrue(refused.getMessage().contains(group), refused.getMessage());
      assertTrue(refused.getMessage().contains("share-" + team + "-0"), refused.getMessage());
      assertTrue(refused.getMessage().contains("--share-group"), refused.getMessage());
      assertEquals(0, classic.evaluated());
    }
  }

  @Test
  void aGroupTheBrokerDoesNotKnowHasNoMembersAndOneItCannotDescribeIsAClearError(KafkaInfra infra) {
    String group = TestTopics.unique("pools-absent");
    try (Admin admin = Admin.create(TestClients.adminProps(infra))) {
      for (Kind kind : Kind.values()) {
        Group absent = EvaluatorGroups.describe(admin, kind, group, WAIT);
        assertEquals(List.of(), absent.members(), kind + " group");
        assertTrue(absent.state().isEmpty(), kind + " group: " + absent.state());
        assertTrue(absent.summary().endsWith(group + ": none"), absent.summary());
      }
      // No answer can come within no time at all: the error names the group and the wait.
      IllegalStateException late =
          assertThrows(
              IllegalStateException.class,
              () -> EvaluatorGroups.describe(admin, Kind.SHARE, group, Duration.ZERO));
      assertTrue(late.getMessage().contains("share group " + group), late.getMessage());
      assertTrue(late.getMessage().contains("within 0 ms"), late.getMessage());
    }
  }

  private static boolean awaitTopics(SampleTopics topics, Set<String> expected)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (topics.current().equals(expected)) {
        return true;
      }
      Thread.sleep(250);
    }
    return false;
  }
}
