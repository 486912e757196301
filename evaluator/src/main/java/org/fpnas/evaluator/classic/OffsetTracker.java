package org.fpnas.evaluator.classic;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.ToLongFunction;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets of each partition are safe to commit when samples are evaluated out of order:
 * everything below the oldest sample still held. A crash redelivers what was held, never skips it.
 *
 * <p>It also counts deliveries: the commit's metadata names the sample being evaluated and how many
 * evaluators began it ({@link UnfinishedDelivery}), so that a sample that keeps killing its
 * evaluators can be given up by the next one, as the share group's delivery count allows.
 */
final class OffsetTracker {
  private final Map<TopicPartition, TreeSet<Long>> held = new HashMap<>();
  private final Map<TopicPartition, Long> nextOffset = new HashMap<>();
  private final Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();

  /** The sample this evaluator is evaluating, per partition. */
  private final Map<TopicPartition, UnfinishedDelivery> evaluating = new HashMap<>();

  /** What the partition's committed metadata said when this evaluator was given it. */
  private final Map<TopicPartition, UnfinishedDelivery> inherited = new HashMap<>();

  void received(TopicPartition tp, long offset) {
    held.computeIfAbsent(tp, k -> new TreeSet<>()).add(offset);
    nextOffset.merge(tp, offset + 1, Math::max);
  }

  /** The partition's committed metadata, read when the partition is assigned. */
  void assigned(TopicPartition tp, OffsetAndMetadata committedOffset) {
    if (committedOffset != null) {
      UnfinishedDelivery.parse(committedOffset.metadata())
          .ifPresent(mark -> inherited.put(tp, mark));
    }
  }

  /**
   * Begins the evaluation of a held sample and returns its delivery: 1, or one more than the
   * evaluators before that began it and did not finish it.
   */
  int begin(TopicPartition tp, long offset) {
    UnfinishedDelivery before = inherited.get(tp);
    int delivery = before != null && before.offset() == offset ? before.deliveries() + 1 : 1;
    evaluating.put(tp, new UnfinishedDelivery(offset, delivery));
    return delivery;
  }

  /** The commit that records the delivery just begun on this partition, before it is evaluated. */
  Map<TopicPartition, OffsetAndMetadata> beginning(TopicPartition tp) {
    OffsetAndMetadata c = new OffsetAndMetadata(safe(tp), metadata(tp));
    committed.put(tp, c);
    return Map.of(tp, c);
  }

  /** The evaluation begun on this partition did not happen after all (the evaluator stops). */
  void abandon(TopicPartition tp) {
    evaluating.remove(tp);
  }

  void done(TopicPartition tp, long offset) {
    TreeSet<Long> h = held.get(tp);
    if (h != null) {
      h.remove(offset);
    }
    evaluating.computeIfPresent(tp, (k, mark) -> mark.offset() == offset ? null : mark);
    inherited.computeIfPresent(tp, (k, mark) -> mark.offset() == offset ? null : mark);
  }

  int held(TopicPartition tp) {
    TreeSet<Long> h = held.get(tp);
    return h == null ? 0 : h.size();
  }

  /** The offsets to commit that moved since the last call. */
  Map<TopicPartition, OffsetAndMetadata> toCommit() {
    return toCommit(tp -> -1L);
  }

  /**
   * The commits whose offset or metadata changed since the last call. Where nothing is held, the
   * consumer's position counts, which is past the transaction markers that follow the last sample.
   */
  Map<TopicPartition, OffsetAndMetadata> toCommit(ToLongFunction<TopicPartition> position) {
    Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
    for (var e : nextOffset.entrySet()) {
      TopicPartition tp = e.getKey();
      TreeSet<Long> h = held.get(tp);
      long safe =
          h == null || h.isEmpty() ? Math.max(e.getValue(), position.applyAsLong(tp)) : h.first();
      OffsetAndMetadata c = new OffsetAndMetadata(safe, metadata(tp));
      if (!c.equals(committed.get(tp))) {
        out.put(tp, c);
        committed.put(tp, c);
      }
    }
    return out;
  }

  /** Forgets partitions that this evaluator no longer owns. */
  void forget(Collection<TopicPartition> partitions) {
    partitions.forEach(
        tp -> {
          held.remove(tp);
          nextOffset.remove(tp);
          committed.remove(tp);
          evaluating.remove(tp);
          inherited.remove(tp);
        });
  }

  private long safe(TopicPartition tp) {
    TreeSet<Long> h = held.get(tp);
    return h == null || h.isEmpty() ? nextOffset.getOrDefault(tp, 0L) : h.first();
  }

  /**
   * The sample being evaluated; else the one an earlier owner left unfinished, until this evaluator
   * reaches it (a crash before then must not reset its count).
   */
  private String metadata(TopicPartition tp) {
    UnfinishedDelivery mark = evaluating.getOrDefault(tp, inherited.get(tp));
    return mark == null ? "" : Objects.requireNonNull(mark).metadata();
  }
}
