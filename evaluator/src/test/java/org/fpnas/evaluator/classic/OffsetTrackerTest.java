package org.fpnas.evaluator.classic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {
  private final TopicPartition tp = new TopicPartition("fpnas.a.samples", 3);

  @Test
  void onlyOffsetsBelowTheOldestHeldSampleAreCommitted() {
    OffsetTracker t = new OffsetTracker();
    t.received(tp, 10);
    t.received(tp, 11);
    t.received(tp, 12);
    t.done(tp, 11);
    assertEquals(10, t.toCommit().get(tp).offset(), "10 is still held: a crash must redeliver it");
    t.done(tp, 10);
    assertEquals(12, t.toCommit().get(tp).offset());
    assertTrue(t.toCommit().isEmpty(), "nothing moved");
    t.done(tp, 12);
    assertEquals(13, t.toCommit().get(tp).offset());
  }

  @Test
  void forgottenPartitionsAreNotCommitted() {
    OffsetTracker t = new OffsetTracker();
    t.received(tp, 1);
    t.forget(List.of(tp));
    assertTrue(t.toCommit().isEmpty());
    assertEquals(0, t.held(tp));
  }
}
