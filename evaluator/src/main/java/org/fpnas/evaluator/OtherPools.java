package org.fpnas.evaluator;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.fpnas.cluster.EvaluatorGroups;
import org.fpnas.cluster.EvaluatorGroups.Kind;
import org.fpnas.cluster.EvaluatorGroups.Member;
import org.fpnas.schemas.Topics;

/**
 * The evaluators of the other kind of group on the same samples topics. A share group and a classic
 * group are separate readers: each gets every record, so two pools of different kinds on one team's
 * samples would evaluate each sample twice. Librdkafka clients (the Python evaluator) have no share
 * consumer and stay in the classic group {@value Topics#EVALUATORS_GROUP}; a samples topic that
 * members of that group hold is theirs, and the share pool leaves it to them.
 */
final class OtherPools {
  private OtherPools() {}

  /**
   * The samples topics that members of the classic group hold now, each with the client ids that
   * hold it; empty when the group has no members or does not exist. Throws {@link
   * IllegalStateException} when the group cannot be described.
   */
  static Map<String, Set<String>> classicHolders(Admin admin, Duration timeout) {
    Map<String, Set<String>> holders = new TreeMap<>();
    for (Member m : EvaluatorGroups.describe(admin, Kind.CLASSIC, timeout).members()) {
      m.partitions().stream()
          .filter(tp -> Topics.SAMPLES_PATTERN.matcher(tp.topic()).matches())
          .forEach(
              tp -> holders.computeIfAbsent(tp.topic(), t -> new TreeSet<>()).add(m.clientId()));
    }
    return holders;
  }

  /**
   * The client ids of the share group's members now; empty when it has none or does not exist.
   * Throws {@link IllegalStateException} when the group cannot be described.
   */
  static Set<String> shareMembers(Admin admin, String shareGroup, Duration timeout) {
    Set<String> members = new TreeSet<>();
    EvaluatorGroups.describe(admin, Kind.SHARE, shareGroup, timeout)
        .members()
        .forEach(m -> members.add(m.clientId()));
    return members;
  }

  /**
   * Why a classic-group service must not start: the share pool has live members, and a classic Java
   * pool, which subscribes to every team, would take every topic from them.
   */
  static String classicBesideShare(String shareGroup, Set<String> members) {
    return "the share group "
        + shareGroup
        + " has "
        + members.size()
        + " live member(s) "
        + members
        + ": a classic-group pool serves every team's samples, and the two groups are separate"
        + " readers, so a sample would be evaluated by both (the share pool then leaves every"
        + " topic to the classic group). Stop the share-group evaluators first, or start this one"
        + " with --share-group too";
  }
}
