package org.fpnas.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.ShareMemberDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.fpnas.schemas.Topics;

/**
 * The members of the evaluators' groups as the broker describes them now: the share group of the
 * Java evaluators and the classic consumer group of those without a share consumer (librdkafka
 * clients). The controller counts them to pace the pool, the share pool keeps off what the classic
 * group holds, and the dashboard lists them; all of them read the two kinds of group alike here.
 */
public final class EvaluatorGroups {
  /** The two kinds of group, each with the name the evaluators use by default. */
  public enum Kind {
    SHARE("share group", Topics.EVALUATORS_SHARE_GROUP),
    CLASSIC("consumer group", Topics.EVALUATORS_GROUP);

    private final String words;
    private final String evaluators;

    Kind(String words, String evaluators) {
      this.words = words;
      this.evaluators = evaluators;
    }

    /** The evaluators' group of this kind unless one is named. */
    public String evaluators() {
      return evaluators;
    }
  }

  /** A member: its client id, its host, and the partitions assigned to it. */
  public record Member(String clientId, String host, Set<TopicPartition> partitions) {
    // The client has a member type for each kind of group, alike but unrelated.
    static Member of(ShareMemberDescription m) {
      return new Member(m.clientId(), m.host(), m.assignment().topicPartitions());
    }

    static Member of(MemberDescription m) {
      return new Member(m.clientId(), m.host(), m.assignment().topicPartitions());
    }
  }

  /**
   * A group now; a group the broker does not know has no state and no members (a group appears with
   * its first member, so that is not an error).
   */
  public record Group(Kind kind, String id, Optional<GroupState> state, List<Member> members) {
    /** The group and its state in words, e.g. {@code share group fpnas-evaluators: Stable}. */
    public String summary() {
      return kind.words + " " + id + ": " + state.map(String::valueOf).orElse("none");
    }
  }

  private EvaluatorGroups() {}

  /** The evaluators' group of that kind under its default name. */
  public static Group describe(Admin admin, Kind kind, Duration timeout) {
    return describe(admin, kind, kind.evaluators(), timeout);
  }

  /**
   * The named group of that kind. Throws {@link IllegalStateException} saying which group could not
   * be described and why (not authorised, no broker within the timeout, interrupted).
   */
  public static Group describe(Admin admin, Kind kind, String group, Duration timeout) {
    KafkaFuture<Group> found =
        switch (kind) {
          case SHARE ->
              admin
                  .describeShareGroups(List.of(group))
                  .describedGroups()
                  .get(group)
                  .thenApply(
                      d -> of(kind, group, d.groupState(), d.members().stream().map(Member::of)));
          case CLASSIC ->
              admin
                  .describeConsumerGroups(List.of(group))
                  .describedGroups()
                  .get(group)
                  .thenApply(
                      d -> of(kind, group, d.groupState(), d.members().stream().map(Member::of)));
        };
    try {
      return ShareGroups.get(found, timeout, "describe " + kind.words + " " + group);
    } catch (IllegalStateException e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        return new Group(kind, group, Optional.empty(), List.of());
      }
      throw e;
    }
  }

  private static Group of(Kind kind, String id, GroupState state, Stream<Member> members) {
    return new Group(kind, id, Optional.of(state), members.toList());
  }
}
