package org.fpnas.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ReplicationCheckTest {
  private static final ReplicationCheck.Defaults CLUSTER = new ReplicationCheck.Defaults(3, 2);

  @Test
  void aTopicWithFewerReplicasThanTheClustersDefaultIsNamed() {
    List<String> lines =
        ReplicationCheck.problems(
            new TreeMap<>(
                Map.of(
                    "fpnas.a.evaluations", new ReplicationCheck.Topic(1, 2),
                    "fpnas.a.searches", new ReplicationCheck.Topic(3, 2))),
            CLUSTER);
    assertEquals(1, lines.size(), lines.toString());
    assertTrue(lines.get(0).contains("fpnas.a.evaluations has 1 replica(s)"), lines.get(0));
    assertTrue(lines.get(0).contains("default is 3"), lines.get(0));
  }

  @Test
  void aTopicWithALowerMinimumInSyncThanTheClustersIsNamed() {
    List<String> lines =
        ReplicationCheck.problems(
            Map.of("fpnas.a.distributions", new ReplicationCheck.Topic(3, 1)), CLUSTER);
    assertEquals(1, lines.size(), lines.toString());
    assertTrue(
        lines.get(0).startsWith("topic fpnas.a.distributions has min.insync.replicas=1"),
        lines.get(0));
    assertTrue(lines.get(0).contains("min.insync.replicas=2"), lines.get(0));
  }

  @Test
  void nothingIsSaidOfTopicsAsTheClusterAsksOrOfWhatCouldNotBeRead() {
    assertTrue(
        ReplicationCheck.problems(
                Map.of("fpnas.a.searches", new ReplicationCheck.Topic(3, 2)), CLUSTER)
            .isEmpty());
    assertTrue(
        ReplicationCheck.problems(
                Map.of("fpnas.a.searches", new ReplicationCheck.Topic(1, 0)),
                new ReplicationCheck.Defaults(1, 0))
            .isEmpty(),
        "one broker, nothing known of the minimum: nothing to say");
  }
}
