package org.fpnas.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.fpnas.schemas.Topics;
import org.fpnas.testkit.KafkaInfra;
import org.fpnas.testkit.RealKafka;
import org.fpnas.testkit.TestClients;
import org.fpnas.testkit.TestTopics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Evaluators page's data without a browser: a member of the evaluators' share group and one of
 * their classic group, as the broker describes them, each listed with its group and host.
 */
@RealKafka
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EvaluatorPoolIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void listsTheMembersOfBothEvaluatorGroupsWithTheirGroupAndHost(KafkaInfra infra) {
    String topic = TestTopics.createUnique(infra, "pool-page", 2);
    String shareId = TestTopics.unique("pool-share");
    String classicId = TestTopics.unique("pool-classic");
    Map<String, Object> c = TestClients.consumerProps(infra, Topics.EVALUATORS_GROUP);
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, classicId);
    Map<String, Object> s =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            infra.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG,
            Topics.EVALUATORS_SHARE_GROUP,
            ConsumerConfig.CLIENT_ID_CONFIG,
            shareId);
    StringDeserializer strings = new StringDeserializer();
    try (KafkaShareConsumer<String, String> share = new KafkaShareConsumer<>(s, strings, strings);
        KafkaConsumer<String, String> classic = new KafkaConsumer<>(c);
        EvaluatorPool pool =
            new EvaluatorPool(
                infra.bootstrapServers(), Map.of(), new ObjectMapper(), Clock.systemUTC())) {
      share.subscribe(List.of(topic));
      classic.subscribe(List.of(topic));
      long deadline = System.nanoTime() + WAIT.toNanos();
      ObjectNode view;
      do {
        share.poll(Duration.ofMillis(100));
        classic.poll(Duration.ofMillis(100));
        view = pool.view(List.of());
      } while ((partitions(view, shareId) < 1 || partitions(view, classicId) < 2)
          && System.nanoTime() < deadline);
      assertFalse(view.has("groupError"), view.toString());
      String state = view.path("groupState").asText();
      assertTrue(state.startsWith("share group " + Topics.EVALUATORS_SHARE_GROUP + ": "), state);
      assertTrue(state.contains("; consumer group " + Topics.EVALUATORS_GROUP + ": "), state);
      assertEquals(2, partitions(view, classicId), "the classic member holds both: " + view);
      for (String id : List.of(shareId, classicId)) {
        JsonNode m = member(view, id);
        assertNotNull(m, id + " is listed: " + view);
        assertTrue(m.path("member").asBoolean(), m.toString());
        assertEquals("idle", m.path("state").asText(), "no results yet: " + m);
        String host = m.path("host").asText();
        assertTrue(!host.isEmpty() && !host.startsWith("/"), m.toString());
      }
      assertEquals(Topics.EVALUATORS_SHARE_GROUP, member(view, shareId).path("group").asText());
      assertEquals(Topics.EVALUATORS_GROUP, member(view, classicId).path("group").asText());
    }
  }

  private static JsonNode member(ObjectNode view, String id) {
    for (JsonNode m : view.path("members")) {
      if (m.path("id").asText().equals(id)) {
        return m;
      }
    }
    return null;
  }

  private static int partitions(ObjectNode view, String id) {
    JsonNode m = member(view, id);
    return m == null ? -1 : m.path("partitions").asInt(-1);
  }
}
