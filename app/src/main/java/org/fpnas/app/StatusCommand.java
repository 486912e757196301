package org.fpnas.app;

import java.io.PrintWriter;
import java.util.List;
import org.fpnas.client.history.SearchHistory;
import org.fpnas.client.history.SearchLog;
import org.fpnas.client.wire.WireConversions;
import org.fpnas.schemas.avro.DistributionUpdate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code fpnas status}: the team's searches with state, schedule, iteration, K, entropy and mode; a
 * search that waits for one of its team's search slots says why.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description =
        "Show searches: state, schedule (sync: iterations of K samples; async: an update every K"
            + " results), iteration, K, entropy and mode.")
final class StatusCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin ClusterOptions cluster;

  @Option(
      names = "--team",
      description =
          "Team whose searches to show (default: the team of the --client-config "
              + "principal, else default).")
  String team;

  @Parameters(arity = "0..1", paramLabel = "SEARCH", description = "Only this search.")
  String searchId;

  @Override
  public void run() {
    String team = cluster.team(this.team);
    SearchHistory history = TeamHistories.read(cluster, team, false);
    List<SearchLog> logs =
        searchId == null
            ? history.searches()
            : List.of(
                history
                    .search(searchId)
                    .orElseThrow(
                        () ->
                            new IllegalArgumentException(
                                "no search " + searchId + " in team " + team)));
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "%-16s %-10s %-5s %9s %5s %9s %-6s %s%n",
        "SEARCH", "STATE", "SCHED", "ITERATION", "K", "ENTROPY", "PHASE", "MODE");
    for (SearchLog log : logs) {
      DistributionUpdate u = log.latest();
      if (u == null) {
        out.printf(
            "%-16s %-10s %-5s %9s %5s %9s %-6s %s%n",
            log.spec().getSearchId(), log.state(), schedule(log), "-", "-", "-", "-", "-");
      } else {
        out.printf(
            "%-16s %-10s %-5s %9d %5d %9.4f %-6s %s%n",
            log.spec().getSearchId(),
            log.state(),
            schedule(log),
            u.getIteration(),
            u.getSampleCount(),
            u.getEntropy(),
            u.getPhase() == org.fpnas.schemas.avro.DistributionPhase.JOINT ? "JD" : "FD",
            WireConversions.architecture(u.getMode()));
      }
      if (log.waitingReason() != null) {
        out.printf(
            "  %s waits for a search slot: %s%n", log.spec().getSearchId(), log.waitingReason());
      }
    }
    out.flush();
  }

  /**
   * "sync" or "async"; in the asynchronous schedule ITERATION counts updates and K is the number of
   * results the next update waits for.
   */
  private static String schedule(SearchLog log) {
    return log.asynchronous() ? "async" : "sync";
  }
}
