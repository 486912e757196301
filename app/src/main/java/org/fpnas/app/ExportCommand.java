package org.fpnas.app;

import java.nio.file.Path;
import org.fpnas.client.history.Export;
import org.fpnas.client.history.SearchLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fpnas export}: a search's history as tables. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = "Write a search's history as two tables: one row per iteration, one per sample.")
final class ExportCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin ClusterOptions cluster;

  @Mixin SearchSelection search;

  @Option(
      names = "--format",
      description = "csv or json (default: ${DEFAULT-VALUE}).",
      defaultValue = "csv")
  Export.Format format;

  @Option(names = "--output", required = true, description = "Directory to write the tables into.")
  Path output;

  @Parameters(paramLabel = "SEARCH", description = "The search id.")
  String searchId;

  @Override
  public void run() {
    SearchLog log = search.load(cluster, searchId, true);
    Export.Written w = Export.write(log, format, output);
    spec.commandLine()
        .getOut()
        .println(
            "wrote "
                + w.iterations()
                + " ("
                + w.iterationRows()
                + " rows) and "
                + w.samples()
                + " ("
                + w.sampleRows()
                + " rows)");
  }
}
