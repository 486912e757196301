package org.fpnas.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.fpnas.admin.AccessRules;
import org.fpnas.client.ResultReport;
import org.fpnas.client.SearchClient;
import org.fpnas.client.SearchRequest;
import org.fpnas.client.SearchSpecs;
import org.fpnas.client.history.SearchHistory;
import org.fpnas.client.history.SearchLog;
import org.fpnas.client.history.SearchWatcher;
import org.fpnas.client.wire.WireConversions;
import org.fpnas.controller.ControllerService;
import org.fpnas.core.Hyperparameters;
import org.fpnas.core.space.SearchSpace;
import org.fpnas.core.tabular.TabularBenchmark;
import org.fpnas.core.tabular.TabularBenchmarks;
import org.fpnas.dashboard.Dashboard;
import org.fpnas.embedded.EmbeddedInfra;
import org.fpnas.evaluator.EvaluatorService;
import org.fpnas.evaluator.data.Datasets;
import org.fpnas.evaluator.data.ImageData;
import org.fpnas.evaluator.djl.DjlDemoSettings;
import org.fpnas.evaluator.djl.DjlEvaluator;
import org.fpnas.evaluator.djl.DjlSettings;
import org.fpnas.evaluator.djl.FinalTraining;
import org.fpnas.evaluator.kinds.BenchmarkEvaluator;
import org.fpnas.evaluator.kinds.TabularEvaluator;
import org.fpnas.metrics.PrometheusEndpoint;
import org.fpnas.schemas.SchemaRegistryClient;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.SearchSpec;
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
  /**
   * Settings of the benchmark demo's search where they differ from the core's defaults; --set
   * overrides them.
   */
  static final Map<String, String> DEMO_SETTINGS =
      Map.of("learningRate", "0.1", "maxIterations", "100");

  /** Settings of the DJL demo's search where they differ from the core's defaults. */
  static final Map<String, String> DJL_DEMO_HYPERPARAMETERS = DjlDemoSettings.HYPERPARAMETERS;

  /**
   * The DJL evaluator's settings in the demo, where they differ from its defaults; --evaluator-set
   * overrides them.
   */
  static final Map<String, String> DJL_DEMO_SETTINGS = DjlDemoSettings.EVALUATOR;

  /**
   * Settings of the tabular demo's search (NAS-Bench-201): 50 iterations of K = 8 are 400 queries,
   * and learningRate 0.1 as in search-quality of BENCHMARKS.md.
   */
  static final Map<String, String> TABULAR_DEMO_HYPERPARAMETERS =
      Map.of("learningRate", "0.1", "maxIterations", "50");

  /** The tabular demo's benchmark unless --evaluator-set benchmark=... says otherwise. */
  static final String TABULAR_DEMO_BENCHMARK = "nasbench201-cifar10";

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--data-dir",
      description =
          "Where the embedded broker keeps its data; run again with it to resume (default: ${DEFAULT-VALUE}).",
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

  @Override
  public void run() {
    if (evaluators < 1) {
      throw new IllegalArgumentException("--evaluators must be at least 1, got " + evaluators);
    }
    if (simulatedMs < 0) {
      throw new IllegalArgumentException("--simulated-ms must be >= 0, got " + simulatedMs);
    }
    if (finalEpochs < 0) {
      throw new IllegalArgumentException("--final-epochs must be >= 0, got " + finalEpochs);
    }
    boolean djl = evaluator.equals(DjlEvaluator.KIND);
    if (!djl
        && !evaluator.equals(BenchmarkEvaluator.KIND)
        && !evaluator.equals(TabularEvaluator.KIND)) {
      throw new IllegalArgumentException(
          "--evaluator must be "
              + DjlEvaluator.KIND
              + ", "
              + BenchmarkEvaluator.KIND
              + " or "
              + TabularEvaluator.KIND
              + ", got '"
              + evaluator
              + "'");
    }
    FinalTrainingPlan finalTraining =
        djl && finalEpochs > 0
            ? new FinalTrainingPlan(
                finalEpochs,
                DjlDemoSettings.FINAL_BATCH_SIZE,
                DjlDemoSettings.FINAL_LEARNING_RATE,
                0,
                finalTrainingImages,
                datasetDir,
                dataDir.resolve("models"))
            : null;
    if ((bootstrapServers == null) != (schemaRegistry == null)) {
      throw new IllegalArgumentException(
          "--bootstrap-servers and --schema-registry go together: give both or neither");
    }
    if (secure && bootstrapServers != null) {
      throw new IllegalArgumentException(
          "--secure secures the embedded broker; it does not go with --bootstrap-servers");
    }
    if (secure) {
      dataDir = dataDir.resolve("secure"); // a secure broker cannot take over the plain one's data
    }
    SearchRequest request = request();
    PrintWriter out = spec.commandLine().getOut();
    if (djl) {
      loadData(request, out); // a missing data set fails before anything starts
    }
    EmbeddedInfra infra = null;
    Dashboard dashboard = null;
    PrometheusEndpoint metrics = null;
    try {
      String bootstrap = bootstrapServers;
      String registryUrl = schemaRegistry;
      if (bootstrap == null) {
        out.println(
            "Starting Kafka (KRaft) and the schema registry in "
                + dataDir.resolve("infra")
                + " ...");
        out.flush();
        infra =
            new EmbeddedInfra(dataDir.resolve("infra"))
                .kafkaPort(0)
                .registryPort(0)
                .secure(secure)
                .acls(
                    AccessRules.bindings(
                        AccessRules.services("User:" + EmbeddedInfra.SERVICES_USER)))
                .start();
        bootstrap = infra.bootstrapServers();
        registryUrl = infra.schemaRegistryUrl();
        out.println("Kafka " + bootstrap + ", schema registry " + registryUrl);
      }
      DemoPrincipals who =
          secure ? DemoPrincipals.secure(infra, out) : DemoPrincipals.open(registryUrl);
      if (who.team() != null) {
        request.team(who.team());
      }
      SchemaRegistryClient registry = who.teamRegistry();
      // The dashboard reads as the team, as a team's own would; /metrics also has this process's
      // services.
      metrics = PrometheusEndpoint.create();
      dashboard =
          Dashboard.start(
              Dashboard.Settings.localhost(dashboardPort),
              bootstrap,
              registry,
              who.teamSettings(),
              metrics,
              java.time.Clock.systemUTC());
      out.println("Dashboard " + dashboard.url() + " (metrics at " + dashboard.url() + "metrics)");
      out.flush();
      ControllerService controllerService =
          new ControllerService(bootstrap, who.servicesRegistry()).metrics(metrics.registry());
      who.services().forEach(controllerService::property);
      EvaluatorService evaluatorPool =
          new EvaluatorService(bootstrap, who.servicesRegistry()).metrics(metrics.registry());
      if (datasetDir != null) {
        evaluatorPool.setting("dataDir", datasetDir.toString());
      }
      who.services().forEach(evaluatorPool::clientProperty);
      try (SearchClient client = new SearchClient(bootstrap, registry)) {
        who.teamSettings().forEach(client::clientProperty);
        client.ensureTopics(request.team());
        try (ControllerService controller =
                controllerService.stateDir(dataDir.resolve("streams")).start();
            EvaluatorService evaluatorService =
                evaluatorPool.workers(evaluators).idPrefix("demo").start()) {
          out.println("Controller and " + evaluators + " evaluator(s) running.");
          SearchSpec search =
              resumeOrSubmit(bootstrap, registry, who.teamSettings(), client, request, out);
          int maxIterations = Hyperparameters.fromMap(search.getHyperparameters()).maxIterations();
          ProgressPrinter progress =
              new ProgressPrinter(out, System.console() != null, maxIterations, System::nanoTime);
          DistributionUpdate last =
              SearchWatcher.follow(
                  bootstrap,
                  registry,
                  search.getTeam(),
                  search.getSearchId(),
                  who.teamSettings(),
                  progress,
                  timeout);
          SearchLog log =
              SearchHistory.read(bootstrap, registry, search.getTeam(), false, who.teamSettings())
                  .search(search.getSearchId())
                  .orElseThrow();
          report(out, log, last, finalTraining);
        }
      }
    } finally {
      if (dashboard != null) {
        dashboard.close();
        metrics.close();
      }
      if (infra != null) {
        infra.close();
      }
    }
  }

  private SearchRequest request() {
    if (evaluator.equals(TabularEvaluator.KIND)) {
      return tabularRequest();
    }
    boolean djl = evaluator.equals(DjlEvaluator.KIND);
    String defaultSpace = djl ? DjlDemoSettings.SPACE : "small-space.yaml";
    String spaceText =
        space == null ? TextFiles.example(defaultSpace) : TextFiles.read("--space", space);
    Map<String, String> merged =
        new LinkedHashMap<>(djl ? DJL_DEMO_HYPERPARAMETERS : DEMO_SETTINGS);
    merged.putAll(settings);
    SearchRequest request =
        new SearchRequest(space == null ? defaultSpace : space.getFileName().toString(), spaceText)
            .setAll(merged)
            .evaluator(evaluator);
    if (djl) {
      if (landscape != null || simulatedMs != 0) {
        throw new IllegalArgumentException(
            "--landscape and --simulated-ms are for --evaluator benchmark");
      }
      Map<String, String> evaluatorMerged = new LinkedHashMap<>(DJL_DEMO_SETTINGS);
      evaluatorMerged.putAll(evaluatorSettings);
      DjlSettings.validate(evaluatorMerged);
      evaluatorMerged.forEach(request::evaluatorSetting);
    } else {
      String landscapeText =
          landscape == null
              ? (space == null ? TextFiles.example("small-landscape.yaml") : null)
              : TextFiles.read("--landscape", landscape);
      if (landscapeText == null) {
        throw new IllegalArgumentException(
            "--space was given without --landscape: the benchmark evaluator needs one");
      }
      request.landscape(landscapeText).evaluatorSetting("simulatedMs", Long.toString(simulatedMs));
      evaluatorSettings.forEach(request::evaluatorSetting);
    }
    // Validate before anything starts, so a bad --set fails at once.
    SearchSpecs.validate(request, 0L);
    return request;
  }

  private SearchRequest tabularRequest() {
    if (landscape != null || simulatedMs != 0) {
      throw new IllegalArgumentException(
          "--landscape and --simulated-ms are for --evaluator benchmark");
    }
    Map<String, String> evaluatorMerged =
        new LinkedHashMap<>(Map.of(TabularEvaluator.BENCHMARK, TABULAR_DEMO_BENCHMARK));
    evaluatorMerged.putAll(evaluatorSettings);
    TabularBenchmark benchmark =
        TabularBenchmarks.get(evaluatorMerged.get(TabularEvaluator.BENCHMARK));
    String spaceName =
        space == null ? benchmark.name() + "/space.yaml" : space.getFileName().toString();
    String spaceText =
        space == null ? benchmark.space().toYaml() : TextFiles.read("--space", space);
    Map<String, String> merged = new LinkedHashMap<>(TABULAR_DEMO_HYPERPARAMETERS);
    merged.putAll(settings);
    SearchRequest request =
        new SearchRequest(spaceName, spaceText).setAll(merged).evaluator(evaluator);
    evaluatorMerged.forEach(request::evaluatorSetting);
    SearchSpecs.validate(
        request, 0L); // a table that does not fit the space fails here, before anything starts
    return request;
  }

  private void loadData(SearchRequest request, PrintWriter out) {
    SearchSpace searchSpace = SearchSpace.parse(request.spaceText(), request.spaceName());
    Map<String, String> local =
        datasetDir == null ? Map.of() : Map.of("dataDir", datasetDir.toString());
    DjlSettings djlSettings =
        DjlSettings.of(
            request.evaluatorSettings(),
            local,
            searchSpace
                .network()
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "--space "
                                + request.spaceName()
                                + " has no network section: the djl"
                                + " evaluator needs an MBConv space like the shipped fbnet-fmnist.yaml")));
    long start = System.nanoTime();
    ImageData data = Datasets.load(djlSettings.dataset(), djlSettings.dataDir());
    out.printf(
        java.util.Locale.ROOT,
        "Data set %s: %d training and %d test images (read in %.1f s)%n",
        data.name(),
        data.train().size(),
        data.test().size(),
        (System.nanoTime() - start) / 1e9);
    out.flush();
  }

  private SearchSpec resumeOrSubmit(
      String bootstrap,
      SchemaRegistryClient registry,
      Map<String, String> clientSettings,
      SearchClient client,
      SearchRequest request,
      PrintWriter out) {
    Path idFile = dataDir.resolve("demo-search-id");
    Optional<String> previous = readId(idFile);
    if (previous.isPresent()) {
      Optional<SearchLog> log =
          SearchHistory.read(bootstrap, registry, request.team(), false, clientSettings)
              .search(previous.get());
      if (log.isPresent()
          && !log.get().state().equals("done")
          && !log.get().state().equals("cancelled")) {
        out.println("Resuming search " + previous.get() + " (" + log.get().state() + ")");
        return log.get().spec();
      }
    }
    SearchSpec submitted = client.submit(request);
    writeId(idFile, submitted.getSearchId());
    out.println("Submitted search " + submitted.getSearchId() + " on " + submitted.getSpaceName());
    out.flush();
    return submitted;
  }

  private void report(
      PrintWriter out, SearchLog log, DistributionUpdate last, FinalTrainingPlan finalTraining) {
    ObjectNode result = ResultReport.of(log);
    out.println();
    out.println(
        "Search "
            + log.spec().getSearchId()
            + " finished after "
            + last.getIteration()
            + " iterations ("
            + last.getStopReason()
            + ").");
    out.println("Found architecture: " + result.get("finalArchitectureString").asText());
    result
        .get("finalArchitecture")
        .properties()
        .forEach(layer -> out.println("  " + layer.getKey() + ": " + layer.getValue()));
    out.printf(
        java.util.Locale.ROOT,
        "Probability %.4f, cost %s, samples evaluated %d%n",
        result.get("finalProbability").asDouble(),
        result.get("finalCost"),
        result.get("samplesEvaluated").asLong());
    if (result.has("finalParameters")) {
      out.printf(
          java.util.Locale.ROOT,
          "FLOPs %.3f M multiply-adds per image, %d parameters%n",
          result.get("finalCost").asDouble() / 1e6,
          result.get("finalParameters").asLong());
    }
    if (result.has("finalHeldOut")) {
      JsonNode table = result.get("tabular");
      JsonNode random = table.get("randomSearch");
      out.printf(
          java.util.Locale.ROOT,
          "%s of the answer: %.2f, rank %d of %d (optimum %.2f)%n",
          table.get("heldOutMetric").asText(),
          result.get("finalHeldOut").asDouble(),
          result.get("finalRank").asInt(),
          table.get("architectures").asInt(),
          table.get("optimum").asDouble());
      if (random.has("meanHeldOut")) {
        out.printf(
            java.util.Locale.ROOT,
            "Random search with the same %d queries: %.2f ± %.2f (mean rank %.0f, %d runs)%n",
            random.get("queries").asLong(),
            random.get("meanHeldOut").asDouble(),
            random.get("sdHeldOut").asDouble(),
            random.get("meanRank").asDouble(),
            random.get("runs").asInt());
      }
    }
    if (result.has("finalRegret")) {
      out.printf(
          java.util.Locale.ROOT,
          "Regret against the landscape's best architecture: %.4f%n",
          result.get("finalRegret").asDouble());
    }
    if (finalTraining != null) {
      out.println();
      FinalTraining.Comparison trained =
          finalTraining.run(log.spec(), WireConversions.architecture(last.getMode()), out);
      result.set("finalTraining", FinalTrainingPlan.toJson(trained));
    }
    if (output != null) {
      ResultCommand.write(output, ResultReport.toJson(result));
      out.println("Result written to " + output);
    }
    out.flush();
  }

  private static Optional<String> readId(Path file) {
    try {
      return Files.exists(file) ? Optional.of(Files.readString(file).trim()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static void writeId(Path file, String id) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, id);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
