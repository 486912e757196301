package org.fpnas.app;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.GroupState;
import org.fpnas.cluster.EvaluatorGroups;

/**
 * Waits until the evaluators' classic group is stable with every worker and every partition of the
 * given topics assigned, so that a timed search does not run through the group's rebalances.
 */
final class EvaluatorGroup {
  private EvaluatorGroup() {}

  static void awaitStable(
      String bootstrapServers, int workers, List<String> topics, int partitions, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String seen = "nothing";
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
      while (System.nanoTime() < deadline) {
        EvaluatorGroups.Group group =
            EvaluatorGroups.describe(admin, EvaluatorGroups.Kind.CLASSIC, Duration.ofSeconds(10));
        long assigned =
            group.members().stream()
                .flatMap(m -> m.partitions().stream())
                .filter(tp -> topics.contains(tp.topic()))
                .count();
        seen = group.summary() + ", " + group.members().size() + " members, " + assigned;
        if (group.state().equals(Optional.of(GroupState.STABLE))
            && group.members().size() == workers
            && assigned == (long) partitions * topics.size()) {
          return;
        }
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted");
    }
    throw new AssertionError(
        "evaluators' group not stable with "
            + workers
            + " members and "
            + topics
            + " assigned after "
            + timeout
            + "; last seen: "
            + seen
            + " partitions assigned");
  }
}
