package org.fpnas.app;

import picocli.CommandLine.Option;

/** The {@code --team} of commands that act on one search; mixed in with picocli's {@code @Mixin}. */
final class SearchTeamOption {
  @Option(names = "--team", description = "Team of the search (default: the team of the --client-config principal, "
      + "else default).")
  String team;

  /** The given team, else the client config's principal's team, else the default team. */
  String resolve(ClusterOptions cluster) {
    return cluster.team(team);
  }
}
