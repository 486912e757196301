package org.fpnas.app;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.fpnas.client.SearchCatalogue;
import org.fpnas.client.history.SearchHistory;
import org.fpnas.client.history.SearchLog;
import org.fpnas.client.wire.WireConversions;
import org.fpnas.schemas.avro.DistributionUpdate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fpnas history}: every search on the cluster that the caller may see. */
@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    description =
        "List the searches in the cluster: team, state, iterations, samples, final architecture, start and end.")
final class HistoryCommand implements Runnable {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin ClusterOptions cluster;

  @Option(
      names = "--team",
      description = "Only this team (default: every team whose topics are visible).")
  String team;

  @Override
  public void run() {
    // The broker lists only the topics the caller may describe: a team's principal sees its own
    // team.
    List<String> teams =
        team == null
            ? SearchCatalogue.teams(cluster.bootstrapServers, cluster.clientSettings())
            : List.of(team);
    int refused = 0;
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "%-12s %-20s %-10s %10s %8s %-20s %-20s %s%n",
        "TEAM",
        "SEARCH",
        "STATE",
        "ITERATIONS",
        "SAMPLES",
        "STARTED (UTC)",
        "ENDED (UTC)",
        "ARCHITECTURE");
    for (String t : teams) {
      SearchHistory history;
      try {
        history = TeamHistories.read(cluster, t, false);
      } catch (TeamHistories.NotAuthorized e) {
        refused++;
        continue;
      }
      for (SearchLog log : history.searches()) {
        DistributionUpdate last = log.latest();
        long samples =
            log.updates().stream().mapToLong(u -> u.getSamplesUsed() + u.getSamplesMissing()).sum();
        out.printf(
            "%-12s %-20s %-10s %10s %8d %-20s %-20s %s%n",
            t,
            log.spec().getSearchId(),
            log.state(),
            last == null ? "-" : Integer.toString(last.getIteration()),
            samples,
            TIME.format(Instant.ofEpochMilli(log.spec().getSubmittedAtMs())),
            last != null && last.getDone()
                ? TIME.format(Instant.ofEpochMilli(last.getCreatedAtMs()))
                : "-",
            last != null && last.getDone()
                ? WireConversions.architecture(last.getMode()).toString()
                : "-");
      }
    }
    if (refused > 0) {
      out.println(
          refused
              + " of "
              + teams.size()
              + " team(s) not shown: the broker refused to let these client "
              + "settings read them.");
    }
    out.flush();
  }
}
