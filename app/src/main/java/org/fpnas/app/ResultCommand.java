package org.fpnas.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fpnas.client.ResultReport;
import org.fpnas.client.history.SearchLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fpnas result}: writes a search's result JSON. */
@Command(
    name = "result",
    mixinStandardHelpOptions = true,
    description = "Write the result JSON of a search.")
final class ResultCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin ClusterOptions cluster;

  @Mixin SearchSelection search;

  @Option(names = "--output", description = "File to write; standard output when absent.")
  Path output;

  @Parameters(paramLabel = "SEARCH", description = "The search id.")
  String searchId;

  @Override
  public void run() {
    SearchLog log = search.load(cluster, searchId, false);
    String json = ResultReport.toJson(ResultReport.of(log));
    if (output == null) {
      spec.commandLine().getOut().println(json);
    } else {
      write(output, json);
      spec.commandLine().getOut().println("wrote " + output);
    }
  }

  static void write(Path output, String json) {
    try {
      Path parent = output.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(output, json + System.lineSeparator());
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "--output " + output + " cannot be written: " + e.getMessage(), e);
    }
  }
}
