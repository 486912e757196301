package org.fpnas.app;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.GroupState;
import org.fpnas.cluster.EvaluatorGroups;

/**
 * Waits for the evaluators' group membership that a test depends on: a test that needs several
 * members must not submit before they have joined, or under load one member takes every sample.
 */
final class EvaluatorGroup {
  private EvaluatorGroup() {}

  /**
   * Waits until the evaluators' classic group is stable with exactly {@code workers} members and
   * every partition of the given topics assigned, so that a search does not run through the group's
   * rebalances.
   */
  static void awaitStable(
      String bootstrapServers, int workers, List<String> topics, int partitions, Duration timeout) {
    await(
        bootstrapServers,
        EvaluatorGroups.Kind.CLASSIC,
        EvaluatorGroups.Kind.CLASSIC.evaluators(),
        group ->
            group.state().equals(Optional.of(GroupState.STABLE))
                && group.members().size() == workers
                && assigned(group, topics) == (long) partitions * topics.size(),
        workers + " members and every partition of " + topics + " assigned",
        timeout);
  }

  /** Waits until the named share group has exactly {@code members} members. */
  static void awaitShareMembers(
      String bootstrapServers, String shareGroup, int members, Duration timeout) {
    await(
        bootstrapServers,
        EvaluatorGroups.Kind.SHARE,
        shareGroup,
        group -> group.members().size() == members,
        members + " members",
        timeout);
  }

  private static long assigned(EvaluatorGroups.Group group, List<String> topics) {
    return group.members().stream()
        .flatMap(m -> m.partitions().stream())
        .filter(tp -> topics.contains(tp.topic()))
        .count();
  }

  private static void await(
      String bootstrapServers,
      EvaluatorGroups.Kind kind,
      String groupId,
      Predicate<EvaluatorGroups.Group> ready,
      String wanted,
      Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String seen = "nothing";
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
      while (System.nanoTime() < deadline) {
        EvaluatorGroups.Group group =
            EvaluatorGroups.describe(admin, kind, groupId, Duration.ofSeconds(10));
        seen = group.summary() + " with members " + group.members();
        if (ready.test(group)) {
          return;
        }
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted");
    }
    throw new AssertionError(
        "evaluators' group "
            + groupId
            + " not ready with "
            + wanted
            + " after "
            + timeout
            + "; last seen: "
            + seen);
  }
}
