package org.fpnas.app;

import java.io.PrintWriter;
import java.util.List;
import org.fpnas.admin.TeamAdmin;
import org.fpnas.schemas.TeamSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code fpnas team list}: every team with its settings, ACL count and quotas. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description =
        "List the teams: principal, weight, limits, quotas in force and the number of ACLs of the principal.")
final class TeamListCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin ClusterOptions cluster;

  @Override
  public void run() {
    List<TeamAdmin.TeamView> teams;
    try (TeamAdmin admin =
        new TeamAdmin(cluster.bootstrapServers, cluster.clientSettings(), cluster.registry())) {
      teams = admin.list();
    }
    PrintWriter out = spec.commandLine().getOut();
    String format = "%-16s %-22s %7s %12s %12s %14s %14s %5s%n";
    out.printf(
        format,
        "TEAM",
        "PRINCIPAL",
        "WEIGHT",
        "MAX-INFLIGHT",
        "MAX-SEARCHES",
        "PRODUCE-B/S",
        "CONSUME-B/S",
        "ACLS");
    for (TeamAdmin.TeamView view : teams) {
      TeamSettings s = view.settings();
      String principal = s == null ? TeamSettings.principalOf(view.team()) : s.principal();
      out.printf(
          format,
          view.team(),
          principal + (view.hasUser() ? "" : " (no user)"),
          s == null ? "-" : strip(s.weight()),
          s == null ? "-" : TeamCreateCommand.limit(s.maxInflight()),
          s == null ? "-" : TeamCreateCommand.limit(s.maxSearches()),
          quota(view, TeamAdmin.PRODUCER_RATE),
          quota(view, TeamAdmin.CONSUMER_RATE),
          view.acls());
    }
    if (teams.isEmpty()) {
      out.println("(no teams; create one with 'fpnas team create NAME')");
    }
    out.flush();
  }

  private static String quota(TeamAdmin.TeamView view, String key) {
    Double value = view.quotas().get(key);
    return value == null ? "none" : Long.toString(value.longValue());
  }

  private static String strip(double weight) {
    return weight == Math.rint(weight) ? Long.toString((long) weight) : Double.toString(weight);
  }
}
