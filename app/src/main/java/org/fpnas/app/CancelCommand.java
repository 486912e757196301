package org.fpnas.app;

import org.fpnas.client.SearchClient;
import org.fpnas.client.SearchSpecs;
import org.fpnas.client.history.SearchLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code fpnas cancel}: stops a search of the team where it is. */
@Command(
    name = "cancel",
    mixinStandardHelpOptions = true,
    description =
        "Stop a running, waiting or submitted search where it is: its last distribution becomes its"
            + " final one (state cancelled); its history stays.")
final class CancelCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin ClusterOptions cluster;

  @Mixin SearchSelection search;

  @Parameters(paramLabel = "SEARCH", description = "The search to stop.")
  String searchId;

  @Override
  public void run() {
    SearchLog log = search.load(cluster, searchId, false);
    try (SearchClient client = new SearchClient(cluster.bootstrapServers, cluster.registry())) {
      cluster.clientSettings().forEach(client::clientProperty);
      client.publish(SearchSpecs.cancellation(log));
    }
    spec.commandLine()
        .getOut()
        .println(
            "cancelling "
                + searchId
                + " (was "
                + log.state()
                + "); `fpnas status "
                + searchId
                + "` shows it cancelled once the controller has stopped it");
  }
}
