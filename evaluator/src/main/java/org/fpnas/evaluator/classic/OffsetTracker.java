package org.fpnas.evaluator.classic;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets of each partition are safe to commit when samples are evaluated out of order:
 * everything below the oldest sample still held. A crash redelivers what was held, never skips it.
 */
final class OffsetTracker {
  private final Map<TopicPartition, TreeSet<Long>> held = new HashMap<>();
  private final Map<TopicPartition, Long> nextOffset = new HashMap<>();
  private final Map<TopicPartition, Long> committed = new HashMap<>();

  void received(TopicPartition tp, long offset) {
    held.computeIfAbsent(tp, k -> new TreeSet<>()).add(offset);
    nextOffset.merge(tp, offset + 1, Math::max);
  }

  void done(TopicPartition tp, long offset) {
    TreeSet<Long> h = held.get(tp);
    if (h != null) {
      h.remove(offset);
    }
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
   * The offsets to commit that moved since the last call. Where nothing is held, the consumer's
   * position counts, which is past the transaction markers that follow the last sample.
   */
  Map<TopicPartition, OffsetAndMetadata> toCommit(
      java.util.function.ToLongFunction<TopicPartition> position) {
    Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
    for (var e : nextOffset.entrySet()) {
      TreeSet<Long> h = held.get(e.getKey());
      long safe =
          h == null || h.isEmpty()
              ? Math.max(e.getValue(), position.applyAsLong(e.getKey()))
              : h.first();
      if (!Long.valueOf(safe).equals(committed.get(e.getKey()))) {
        out.put(e.getKey(), new OffsetAndMetadata(safe));
        committed.put(e.getKey(), safe);
      }
    }
    return out;
  }

  /** Forgets partitions that this evaluator no longer owns. */
  void forget(java.util.Collection<TopicPartition> partitions) {
    partitions.forEach(
        tp -> {
          held.remove(tp);
          nextOffset.remove(tp);
          committed.remove(tp);
        });
  }
}
