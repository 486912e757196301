package org.fpnas.app;

import java.util.LinkedHashMap;
import java.util.Map;
import org.fpnas.client.SearchClient;
import org.fpnas.client.SearchSpecs;
import org.fpnas.client.history.SearchLog;
import org.fpnas.schemas.SchemaRegistryClient;
import org.fpnas.schemas.avro.SearchSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fpnas fork}: a new live search from an iteration of a recorded one. */
@Command(
    name = "fork",
    mixinStandardHelpOptions = true,
    description =
        "Start a new search from the distribution of an iteration of another one; prints the new id.")
final class ForkCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin ClusterOptions cluster;

  @Mixin SearchSelection search;

  @Option(
      names = "--from-iteration",
      required = true,
      description = "Iteration whose distribution the fork starts from.")
  int iteration;

  @Option(names = "--set", description = "A hyperparameter to change, name=value.")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Option(names = "--id", description = "Id of the new search instead of a generated one.")
  String id;

  @Parameters(paramLabel = "SEARCH", description = "The search to fork.")
  String searchId;

  @Override
  public void run() {
    SchemaRegistryClient registry = cluster.registry();
    SearchLog parent = search.load(cluster, searchId, false);
    SearchSpec fork =
        SearchSpecs.fork(parent, iteration, overrides, id, System.currentTimeMillis());
    try (SearchClient client = new SearchClient(cluster.bootstrapServers, registry)) {
      cluster.clientSettings().forEach(client::clientProperty);
      client.publish(fork);
    }
    spec.commandLine().getOut().println(fork.getSearchId());
  }
}
