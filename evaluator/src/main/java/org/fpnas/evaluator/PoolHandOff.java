package org.fpnas.evaluator;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.SharePartitionOffsetInfo;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.fpnas.cluster.EvaluatorGroups;
import org.fpnas.schemas.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pool starts on each samples partition no earlier than where the pool of the other kind of group
 * left it. The two groups are separate readers with positions of their own: without this, a share
 * pool that replaces a classic one (or is started again after one ran) would first evaluate every
 * sample the classic group had already evaluated, back to the topic's retention (its reset policy
 * is {@code earliest}, so that no sample published before the pool's first fetch is skipped), and a
 * classic pool that replaces a share pool likewise.
 *
 * <p>Positions only move forward, and only while the group being started has no members: a group's
 * offsets can be altered only when it is empty, and a running pool of the same kind knows its own
 * place. The classic group's committed offset is exact (it commits only what is evaluated); the
 * share group's is its end where nothing is left to deliver, else its start offset, conservative
 * (records past it may be acknowledged already), so a hand-off to the classic group from a pool
 * that stopped mid-work can evaluate a few samples twice, which the aggregator counts once. A
 * failed hand-off costs time, not results: it is logged and the pool starts as before.
 */
final class PoolHandOff {
  private static final Logger LOG = LoggerFactory.getLogger(PoolHandOff.class);

  private PoolHandOff() {}

  /**
   * Before a share pool starts: moves the share group's start offsets up to the classic group's
   * committed offsets on the samples topics the pool serves ({@code served}, by topic name) and no
   * classic member holds now. Returns the offsets set.
   */
  static Map<TopicPartition, Long> shareFromClassic(
      Admin admin,
      String classicGroup,
      String shareGroup,
      Predicate<String> served,
      Duration timeout) {
    try {
      if (!OtherPools.shareMembers(admin, shareGroup, timeout).isEmpty()) {
        return Map.of(); // the pool runs already and has its own place
      }
      var held = OtherPools.classicHolders(admin, timeout).keySet();
      Map<TopicPartition, Long> moves =
          ahead(
              classicOffsets(admin, classicGroup, timeout),
              shareOffsets(admin, shareGroup, timeout),
              topic -> served.test(topic) && !held.contains(topic));
      if (!moves.isEmpty()) {
        get(admin.alterShareGroupOffsets(shareGroup, moves).all(), timeout);
        LOG.info(
            "share group {} starts where the classic group {} left off on {} partition(s), so"
                + " that no sample it evaluated is evaluated again: {}",
            shareGroup,
            classicGroup,
            moves.size(),
            moves);
      }
      return moves;
    } catch (Exception e) {
      return failed(e, shareGroup, classicGroup);
    }
  }

  /**
   * Before a classic pool starts: moves the classic group's committed offsets up to the share
   * group's start offsets, unless the classic group has members. Returns the offsets set.
   */
  static Map<TopicPartition, Long> classicFromShare(
      Admin admin, String classicGroup, String shareGroup, Duration timeout) {
    try {
      if (!classicMembersAbsent(admin, classicGroup, timeout)) {
        return Map.of();
      }
      Map<TopicPartition, Long> moves =
          ahead(
              shareOffsets(admin, shareGroup, timeout),
              classicOffsets(admin, classicGroup, timeout),
              topic -> true);
      if (!moves.isEmpty()) {
        Map<TopicPartition, OffsetAndMetadata> commits = new LinkedHashMap<>();
        moves.forEach((tp, offset) -> commits.put(tp, new OffsetAndMetadata(offset)));
        get(admin.alterConsumerGroupOffsets(classicGroup, commits).all(), timeout);
        LOG.info(
            "classic group {} starts where the share group {} left off on {} partition(s), so"
                + " that no sample it evaluated is evaluated again: {}",
            classicGroup,
            shareGroup,
            moves.size(),
            moves);
      }
      return moves;
    } catch (Exception e) {
      return failed(e, classicGroup, shareGroup);
    }
  }

  /**
   * The samples partitions of topics that {@code topics} accepts where {@code from} is past {@code
   * to} (or {@code to} has no position), with {@code from}'s offset.
   */
  static Map<TopicPartition, Long> ahead(
      Map<TopicPartition, Long> from, Map<TopicPartition, Long> to, Predicate<String> topics) {
    Map<TopicPartition, Long> moves =
        new TreeMap<>(
            java.util.Comparator.comparing(TopicPartition::topic)
                .thenComparingInt(TopicPartition::partition));
    from.forEach(
        (tp, offset) -> {
          Long current = to.get(tp);
          if (Topics.SAMPLES_PATTERN.matcher(tp.topic()).matches()
              && topics.test(tp.topic())
              && (current == null || current < offset)) {
            moves.put(tp, offset);
          }
        });
    return moves;
  }

  private static boolean classicMembersAbsent(Admin admin, String group, Duration timeout) {
    return EvaluatorGroups.describe(admin, EvaluatorGroups.Kind.CLASSIC, group, timeout)
        .members()
        .isEmpty();
  }

  private static Map<TopicPartition, Long> classicOffsets(
      Admin admin, String group, Duration timeout) throws Exception {
    Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
    try {
      Map<TopicPartition, OffsetAndMetadata> committed =
          get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata(), timeout);
      committed.forEach(
          (tp, om) -> {
            if (om != null) {
              offsets.put(tp, om.offset());
            }
          });
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof GroupIdNotFoundException)) {
        throw e;
      }
    }
    return offsets;
  }

  /**
   * Where the share group stands on each partition it has state for. Its start offset lags: the
   * broker persists it before it moves past the records just acknowledged (a group that accepted
   * every record of a partition still reports start offset 0, lag 0), so a partition with no lag
   * stands at its end; otherwise the start offset, conservative. The end is read before the lag, so
   * that a sample published in between is not skipped.
   */
  private static Map<TopicPartition, Long> shareOffsets(Admin admin, String group, Duration timeout)
      throws Exception {
    Map<TopicPartition, Long> ends = new LinkedHashMap<>();
    Map<TopicPartition, SharePartitionOffsetInfo> before = shareInfo(admin, group, timeout);
    if (!before.isEmpty()) {
      Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
      before.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
      get(
              admin
                  .listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                  .all(),
              timeout)
          .forEach((tp, info) -> ends.put(tp, info.offset()));
    }
    Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
    shareInfo(admin, group, timeout)
        .forEach(
            (tp, info) -> {
              long start = info.startOffset();
              Long end = ends.get(tp);
              boolean done = info.lag().isPresent() && info.lag().get() == 0 && end != null;
              long position = done ? Math.max(start, end) : start;
              if (position >= 0) {
                offsets.put(tp, position);
              }
            });
    return offsets;
  }

  private static Map<TopicPartition, SharePartitionOffsetInfo> shareInfo(
      Admin admin, String group, Duration timeout) throws Exception {
    Map<TopicPartition, SharePartitionOffsetInfo> infos = new LinkedHashMap<>();
    try {
      get(
              admin
                  .listShareGroupOffsets(Map.of(group, new ListShareGroupOffsetsSpec()))
                  .partitionsToOffsetInfo(group),
              timeout)
          .forEach(
              (tp, info) -> {
                if (info != null) {
                  infos.put(tp, info);
                }
              });
    } catch (ExecutionException e) {
      // No such group, or a cluster without share groups (a classic pool's start asks too).
      if (!(e.getCause() instanceof GroupIdNotFoundException
          || e.getCause() instanceof UnsupportedVersionException)) {
        throw e;
      }
    }
    return infos;
  }

  private static <T> T get(KafkaFuture<T> future, Duration timeout)
      throws InterruptedException, ExecutionException, TimeoutException {
    return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static Map<TopicPartition, Long> failed(Exception e, String starting, String other) {
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
    LOG.warn(
        "group {} could not take over the positions of group {} ({}); it starts from its own, and"
            + " may evaluate again samples the other group evaluated",
        starting,
        other,
        cause.toString());
    return Map.of();
  }
}
