package org.fpnas.app;

import org.fpnas.client.history.SearchLog;
import picocli.CommandLine.Option;

/**
 * The {@code --team} of the commands that act on one recorded search, and how they load it; mixed
 * in with picocli's {@code @Mixin} (each command keeps its own SEARCH parameter and its
 * description).
 */
final class SearchSelection {
  @Option(
      names = "--team",
      description =
          "Team of the search (default: the team of the --client-config principal, "
              + "else default).")
  String team;

  /** The given team, else the client config's principal's team, else the default team. */
  String resolve(ClusterOptions cluster) {
    return cluster.team(team);
  }

  /**
   * The search's record from its team's topics (with its evaluations only when asked: they are the
   * bulk of a history).
   *
   * @throws IllegalArgumentException naming the search and the team when the team has no such
   *     search
   */
  SearchLog load(ClusterOptions cluster, String searchId, boolean withEvaluations) {
    String resolved = resolve(cluster);
    return TeamHistories.read(cluster, resolved, withEvaluations)
        .search(searchId)
        .orElseThrow(
            () -> new IllegalArgumentException("no search " + searchId + " in team " + resolved));
  }
}
