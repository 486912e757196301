package org.fpnas.app;

import java.io.PrintWriter;
import java.util.List;
import org.fpnas.admin.TeamAdmin;
import org.fpnas.schemas.TeamSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fpnas team delete}: removes a team's access, and with a flag its history. */
@Command(
    name = "delete",
    mixinStandardHelpOptions = true,
    description =
        "Remove a team's access: its ACLs, SCRAM user, quotas and settings record. Its topics (the history "
            + "of its searches) stay unless --delete-history is given.")
final class TeamDeleteCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin ClusterOptions cluster;

  @Parameters(paramLabel = "NAME", description = "The team.")
  String team;

  @Option(
      names = "--delete-history",
      description = "Also delete the team's topics: every search it ran is lost.")
  boolean deleteHistory;

  @Override
  public void run() {
    TeamSettings.userOf(team); // validates the name before anything changes
    List<String> deleted;
    try (TeamAdmin admin =
        new TeamAdmin(cluster.bootstrapServers, cluster.clientSettings(), cluster.registry())) {
      deleted = admin.delete(team, deleteHistory);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        "Removed the access of team "
            + team
            + " ("
            + TeamSettings.principalOf(team)
            + "): ACLs, SCRAM user, "
            + "quotas and settings record.");
    out.println(
        deleteHistory
            ? "Deleted its topics: " + String.join(", ", deleted)
            : "Its topics stay (fpnas." + team + ".*); delete them with --delete-history.");
    out.flush();
  }
}
