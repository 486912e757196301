package org.fpnas.evaluator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Which positions a starting pool takes over from the other kind of group. */
class PoolHandOffTest {
  private static final String A = "fpnas.a.samples";
  private static final String B = "fpnas.b.samples";

  @Test
  void onlyPositionsAheadOfTheGroupsOwnOrWhereItHasNoneAndOnlyOnServedSamplesTopics() {
    TopicPartition behind = new TopicPartition(A, 0);
    TopicPartition level = new TopicPartition(A, 1);
    TopicPartition ahead = new TopicPartition(A, 2);
    TopicPartition unknown = new TopicPartition(A, 3);
    TopicPartition notServed = new TopicPartition(B, 0);
    TopicPartition notSamples = new TopicPartition("fpnas.a.evaluations", 0);
    Map<TopicPartition, Long> other =
        Map.of(behind, 7L, level, 5L, ahead, 2L, unknown, 4L, notServed, 9L, notSamples, 9L);
    Map<TopicPartition, Long> own = Map.of(behind, 3L, level, 5L, ahead, 6L);
    assertEquals(
        Map.of(behind, 7L, unknown, 4L),
        PoolHandOff.ahead(other, own, topic -> topic.equals(A)),
        "a position moves forward only, and only on the samples topics the pool serves");
  }
}
