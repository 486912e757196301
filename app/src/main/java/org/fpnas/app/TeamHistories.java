package org.fpnas.app;

import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.fpnas.client.history.SearchHistory;

/**
 * Reads a team's searches for a command, turning the broker's refusal into a message that says
 * whose and why.
 */
final class TeamHistories {
  private TeamHistories() {}

  /** A team's topics that the caller's principal may not read. */
  static final class NotAuthorized extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    NotAuthorized(String team, TopicAuthorizationException cause) {
      super(
          "not authorized to read team "
              + team
              + ": the broker refused "
              + cause.unauthorizedTopics()
              + " for these client settings (a team's principal reads only its own team's topics)",
          cause);
    }
  }

  /** The team's history; {@link NotAuthorized} when the broker refuses its topics. */
  static SearchHistory read(ClusterOptions cluster, String team, boolean withEvaluations) {
    try {
      return SearchHistory.read(
          cluster.bootstrapServers,
          cluster.registry(),
          team,
          withEvaluations,
          cluster.clientSettings());
    } catch (TopicAuthorizationException e) {
      throw new NotAuthorized(team, e);
    }
  }
}
