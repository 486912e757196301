package org.fpnas.evaluator.classic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
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

  @Test
  void aSampleBegunIsCommittedWithItsDeliveryBeforeItIsEvaluated() {
    OffsetTracker t = new OffsetTracker();
    t.received(tp, 10);
    t.received(tp, 11);
    assertEquals(1, t.begin(tp, 11));
    OffsetAndMetadata c = t.beginning(tp).get(tp);
    assertEquals(10, c.offset(), "10 is still held");
    assertEquals(
        new UnfinishedDelivery(11, 1), UnfinishedDelivery.parse(c.metadata()).orElseThrow());
    t.done(tp, 11);
    assertEquals(
        new OffsetAndMetadata(10, ""), t.toCommit().get(tp), "finished: the mark goes at once");
  }

  @Test
  void theNextOwnerCountsOnFromTheMarkItFindsAndKeepsItUntilItReachesTheSample() {
    OffsetTracker first = new OffsetTracker();
    first.received(tp, 5);
    first.received(tp, 6);
    first.begin(tp, 6);
    OffsetAndMetadata left = first.beginning(tp).get(tp); // then the process dies

    OffsetTracker next = new OffsetTracker();
    next.assigned(tp, left);
    next.received(tp, 5);
    next.received(tp, 6);
    assertEquals(1, next.begin(tp, 5), "another sample starts its own count");
    assertEquals(
        "evaluating offset 5, delivery 1",
        next.beginning(tp).get(tp).metadata(),
        "the sample in hand is the one to count");
    next.done(tp, 5);
    assertEquals(
        new UnfinishedDelivery(6, 1),
        UnfinishedDelivery.parse(next.toCommit().get(tp).metadata()).orElseThrow(),
        "the earlier owner's mark is kept until the sample is reached: a crash before must not"
            + " reset its count");
    assertEquals(2, next.begin(tp, 6));
  }

  @Test
  void anAbandonedBeginningIsNotCounted() {
    OffsetTracker t = new OffsetTracker();
    t.received(tp, 3);
    t.begin(tp, 3);
    t.abandon(tp);
    assertEquals(new OffsetAndMetadata(3, ""), t.toCommit().get(tp));
  }

  @Test
  void metadataOfAnythingElseIsNoMark() {
    assertTrue(UnfinishedDelivery.parse(null).isEmpty());
    assertTrue(UnfinishedDelivery.parse("").isEmpty());
    assertTrue(UnfinishedDelivery.parse("evaluating offset 5, delivery 0").isEmpty());
    assertTrue(
        UnfinishedDelivery.parse("evaluating offset 99999999999999999999, delivery 1").isEmpty());
    assertEquals(
        new UnfinishedDelivery(7, 3),
        UnfinishedDelivery.parse(new UnfinishedDelivery(7, 3).metadata()).orElseThrow());
  }
}
