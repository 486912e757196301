package org.fpnas.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fpnas.client.SearchRequest;
import org.fpnas.evaluator.djl.DjlDemoSettings;
import org.fpnas.evaluator.djl.DjlEvaluator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fpnas demo}: the whole pipeline on one machine. Starts the embedded broker and registry
 * (unless pointed at a cluster), a controller and evaluators, runs a search with live progress and
 * prints the architecture it found; with the DJL evaluator (the default) it searches the
 * FBNet-style space on Fashion-MNIST and then trains the found architecture and a random one of
 * similar FLOPs from scratch. Run again with the same data dir, it resumes.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Run a complete search on this machine: embedded Kafka and registry, controller, evaluators.")
final class DemoCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--data-dir",
      description =
          "Where the embedded broker and the demo keep their data, laid out as for fpnas infra:"
              + " run the demo again with it to resume, or fpnas infra --data-dir with it to look"
              + " at the search (default: ${DEFAULT-VALUE}).",
      defaultValue = "${sys:user.home}/.fpnas/demo")
  Path dataDir;

  @Option(
      names = "--evaluators",
      description = "Evaluator workers (default: ${DEFAULT-VALUE}).",
      defaultValue = "2")
  int evaluators;

  @Option(names = "--output", description = "Also write the result JSON to this file.")
  Path output;

  @Option(
      names = "--evaluator",
      description =
          "Evaluator kind: djl (a supernet on Fashion-MNIST), benchmark (a"
              + " landscape file, no training) or tabular (NAS-Bench-201's recorded results) (default: ${DEFAULT-VALUE}).",
      defaultValue = DjlEvaluator.KIND)
  String evaluator;

  @Option(
      names = "--space",
      description =
          "Search space file (default: the shipped fbnet-fmnist.yaml for djl,"
              + " small-space.yaml for benchmark, the benchmark's own space for tabular).")
  Path space;

  @Option(
      names = "--landscape",
      description = "Landscape file for the benchmark evaluator (default: the shipped example).")
  Path landscape;

  @Option(names = "--set", description = "A hyperparameter, name=value, as for submit.")
  Map<String, String> settings = new LinkedHashMap<>();

  @Option(
      names = "--evaluator-set",
      description =
          "An evaluator setting, name=value, as for submit (djl: trainSteps,"
              + " batchSize, learningRate, warmupSteps, ...; see evaluator-djl/README.md).")
  Map<String, String> evaluatorSettings = new LinkedHashMap<>();

  @Option(
      names = "--dataset-dir",
      description =
          "Where the data set's files are (djl; default: where Debian's"
              + " dataset-fashion-mnist package puts them).")
  Path datasetDir;

  @Option(
      names = "--final-epochs",
      description =
          "Epochs of the final training of the found architecture and of a"
              + " random one of similar FLOPs (djl); 0 skips it (default: ${DEFAULT-VALUE}).",
      defaultValue = "1")
  int finalEpochs;

  @Option(
      names = "--final-training-images",
      description =
          "Train the final networks on only the first N training"
              + " images; 0: all (default: ${DEFAULT-VALUE}).",
      defaultValue = "0")
  int finalTrainingImages;

  @Option(
      names = "--simulated-ms",
      description = "Simulated time of one benchmark evaluation in ms (default: ${DEFAULT-VALUE}).",
      defaultValue = "0")
  long simulatedMs;

  @Option(
      names = "--bootstrap-servers",
      description = "Use this Kafka cluster instead of starting an embedded broker.")
  String bootstrapServers;

  @Option(
      names = "--schema-registry",
      description = "Schema registry of that cluster (needed with --bootstrap-servers).")
  String schemaRegistry;

  @Option(
      names = "--dashboard-port",
      description =
          "Port of the dashboard the demo serves while it runs (0: a free"
              + " one; default: ${DEFAULT-VALUE}).",
      defaultValue = "0")
  int dashboardPort;

  @Option(
      names = "--timeout",
      description = "Give up after this long, e.g. PT30M (default: ${DEFAULT-VALUE}).",
      defaultValue = "PT30M")
  Duration timeout;

  @Option(
      names = "--secure",
      description =
          "Embedded broker and registry with authentication and ACLs (data in "
              + "DATA-DIR/secure): the services run as their own principal, the search as a team the demo creates.")
  boolean secure;

  @Option(
      names = "--tls",
      description =
          "Embedded broker and registry over TLS (SASL_SSL with --secure), with certificates that a "
              + "local CA makes in DATA-DIR/tls; every part of the demo trusts that CA.")
  boolean tls;

  @Option(
      names = "--keep-open",
      description =
          "After the result, keep the broker, registry, dashboard, controller and evaluators"
              + " running until Ctrl-C, to look at the search.")
  boolean keepOpen;

  @Override
  public void run() {
    if (evaluators < 1) {
      throw new IllegalArgumentException("--evaluators must be at least 1, got " + evaluators);
    }
    if (finalEpochs < 0) {
      throw new IllegalArgumentException("--final-epochs must be >= 0, got " + finalEpochs);
    }
    if ((bootstrapServers == null) != (schemaRegistry == null)) {
      throw new IllegalArgumentException(
          "--bootstrap-servers and --schema-registry go together: give both or neither");
    }
    if ((secure || tls) && bootstrapServers != null) {
      throw new IllegalArgumentException(
          (secure ? "--secure" : "--tls")
              + " secures the embedded broker; it does not go with --bootstrap-servers");
    }
    SearchRequest request =
        DemoRequests.of(evaluator, space, landscape, settings, evaluatorSettings, simulatedMs);
    // A secure broker cannot take over a plain one's data.
    Path dir = secure ? dataDir.resolve("secure") : dataDir;
    boolean djl = evaluator.equals(DjlEvaluator.KIND);
    FinalTrainingPlan finalTraining =
        djl && finalEpochs > 0
            ? new FinalTrainingPlan(
                finalEpochs,
                DjlDemoSettings.FINAL_BATCH_SIZE,
                DjlDemoSettings.FINAL_LEARNING_RATE,
                0,
                finalTrainingImages,
                datasetDir,
                dir.resolve("models"))
            : null;
    var out = spec.commandLine().getOut();
    if (djl) {
      DemoData.check(request, datasetDir, out); // a missing data set fails before anything starts
    }
    new Demo(
            new Demo.Plan(
                request,
                dir,
                secure,
                tls,
                bootstrapServers,
                schemaRegistry,
                evaluators,
                datasetDir,
                dashboardPort,
                timeout,
                finalTraining,
                output,
                keepOpen),
            out)
        .run();
  }
}
