package org.fpnas.app;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.fpnas.evaluator.EvaluatorService;

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
        ConsumerGroupDescription group =
            admin
                .describeConsumerGroups(List.of(EvaluatorService.GROUP))
                .all()
                .get(10, TimeUnit.SECONDS)
                .get(EvaluatorService.GROUP);
        int assigned = 0;
        for (MemberDescription m : group.members()) {
          for (TopicPartition tp : m.assignment().topicPartitions()) {
            assigned += topics.contains(tp.topic()) ? 1 : 0;
          }
        }
        seen = group.groupState() + ", " + group.members().size() + " members, " + assigned;
        if (group.groupState() == GroupState.STABLE
            && group.members().size() == workers
            && assigned == partitions * topics.size()) {
          return;
        }
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted");
    } catch (ExecutionException | TimeoutException e) {
      throw new AssertionError("cannot describe the evaluators' group: " + e, e);
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
