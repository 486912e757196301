package org.fpnas.app;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fpnas.client.SearchClient;
import org.fpnas.client.SearchRequest;
import org.fpnas.schemas.avro.SearchSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fpnas submit}: validates and publishes a search, prints its id. */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    description =
        "Submit a search and print its id. Nothing is published if the space or a setting is invalid.")
final class SubmitCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin ClusterOptions cluster;

  @Option(names = "--space", required = true, description = "Search space file (YAML or JSON).")
  Path space;

  @Option(names = "--landscape", description = "Landscape file for the benchmark evaluator.")
  Path landscape;

  @Option(
      names = "--set",
      description =
          "A hyperparameter, name=value (seed, maxIterations, schedule, lambda, k0, kMin, kMax, fixedK, costTarget, costModel, costPenalty, beta, learningRate, optimizer, baseline, temperature, weighting, targetEss, costWeights, factorizedIterations, switchEntropyFraction, adamAtSwitch, entropyStop, stableIterations, adamBeta1, ...).")
  Map<String, String> settings = new LinkedHashMap<>();

  @Option(
      names = "--evaluator",
      description = "Evaluator kind (default: ${DEFAULT-VALUE}).",
      defaultValue = "benchmark")
  String evaluator;

  @Option(
      names = "--evaluator-set",
      description =
          "An evaluator setting, name=value (benchmark: simulatedMs; tabular: benchmark=nasbench201-cifar10 or nas-bench-macro-cifar10; djl: trainSteps, batchSize, ...). Files of the evaluators' machines (a benchmark.yaml, dataDir) are the evaluator operator's, not a search's; what scales one evaluation (simulatedMs, trainSteps, warmupSteps, batchSize, validationBatch) has a maximum for the shared pool.")
  Map<String, String> evaluatorSettings = new LinkedHashMap<>();

  @Option(
      names = "--team",
      description =
          "Team that owns the search (default: the team of the --client-config "
              + "principal, else default).")
  String team;

  @Option(names = "--id", description = "Search id to use instead of a generated one.")
  String id;

  @Override
  public void run() {
    SearchRequest request =
        new SearchRequest(space.getFileName().toString(), TextFiles.read("--space", space))
            .team(cluster.team(team))
            .evaluator(evaluator)
            .searchId(id)
            .setAll(settings);
    evaluatorSettings.forEach(request::evaluatorSetting);
    if (landscape != null) {
      request.landscape(TextFiles.read("--landscape", landscape));
    }
    try (SearchClient client = new SearchClient(cluster.bootstrapServers, cluster.registry())) {
      cluster.clientSettings().forEach(client::clientProperty);
      if (id != null && client.searchExists(request.team(), id)) {
        throw new IllegalArgumentException(
            "search id "
                + id
                + " is already used by a search of team "
                + request.team()
                + " (fpnas status "
                + id
                + " --team "
                + request.team()
                + "): submit under another --id");
      }
      SearchSpec submitted = client.submit(request);
      spec.commandLine().getOut().println(submitted.getSearchId());
    }
  }
}
