package org.fpnas.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.fpnas.schemas.TopicSpec;
import org.junit.jupiter.api.Test;

class TopicAdminTest {
  @Test
  void aTopicTakesItsPartitionsAndConfigsFromTheSpecAndItsReplicationFromTheCluster() {
    NewTopic topic =
        TopicAdmin.newTopic(new TopicSpec("fpnas.t.searches", 4, Map.of("retention.ms", "-1")));
    assertEquals(4, topic.numPartitions());
    assertEquals("-1", topic.configs().get("retention.ms"));
    // -1: the broker's default.replication.factor (and min.insync.replicas) apply, never a
    // fixed single replica.
    assertEquals(-1, topic.replicationFactor());
    assertTrue(topic.replicasAssignments() == null || topic.replicasAssignments().isEmpty());
  }
}
