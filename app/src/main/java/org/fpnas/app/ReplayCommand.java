package org.fpnas.app;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.fpnas.client.history.Replay;
import org.fpnas.client.history.SearchLog;
import org.fpnas.client.history.WhatIf;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fpnas replay}: rebuilds a search from its events and checks it, or runs a what-if. */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = {
      "Rebuild a search's distributions from its recorded spec and evaluations and check them against the record.",
      "With --set: a what-if re-run of the updates on the recorded evaluations with other hyperparameters."
    })
final class ReplayCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin ClusterOptions cluster;

  @Mixin SearchSelection search;

  @Option(names = "--set", description = "What-if: a hyperparameter to change, name=value.")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Parameters(paramLabel = "SEARCH", description = "The search id.")
  String searchId;

  @Override
  public void run() {
    long start = System.nanoTime();
    SearchLog log = search.load(cluster, searchId, true);
    PrintWriter out = spec.commandLine().getOut();
    if (overrides.isEmpty()) {
      Replay.Report report = Replay.verify(log);
      double seconds = (System.nanoTime() - start) / 1e9;
      out.printf(
          Locale.ROOT,
          "%s: %s after %d iteration(s) (%d events in %.2fs, %.0f events/s)%n",
          searchId,
          report.identical() ? "identical" : "DIFFERS",
          report.iterationsChecked(),
          report.eventsRead(),
          seconds,
          report.eventsRead() / seconds);
      if (!report.identical()) {
        out.println("first difference: " + report.firstMismatch());
        out.flush();
        throw new IllegalStateException("replay of " + searchId + " differs from the record");
      }
    } else {
      WhatIf.Report r = WhatIf.run(log, overrides);
      out.println(WhatIf.CAVEAT);
      out.printf(
          "%9s %12s %12s  %-24s %-24s%n",
          "ITERATION", "H recorded", "H what-if", "mode recorded", "mode what-if");
      for (WhatIf.Row row : r.rows()) {
        out.printf(
            Locale.ROOT,
            "%9d %12.5f %12.5f  %-24s %-24s%n",
            row.iteration(),
            row.originalEntropy(),
            row.whatIfEntropy(),
            row.originalMode(),
            row.whatIfMode());
      }
      out.println("final architecture recorded: " + r.originalMode());
      out.println(
          "final architecture what-if:  "
              + r.whatIfMode()
              + (r.sameFinalArchitecture() ? " (the same)" : " (different)"));
    }
    out.flush();
  }
}
