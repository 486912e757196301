package org.fpnas.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.fpnas.controller.ControllerService;
import org.fpnas.controller.ResultReport;
import org.fpnas.controller.SearchClient;
import org.fpnas.controller.SearchHistory;
import org.fpnas.controller.SearchLog;
import org.fpnas.controller.SearchRequest;
import org.fpnas.controller.SearchWatcher;
import org.fpnas.core.Hyperparameters;
import org.fpnas.embedded.EmbeddedInfra;
import org.fpnas.evaluator.EvaluatorService;
import org.fpnas.schemas.SchemaRegistryClient;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.SearchSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fpnas demo}: the whole pipeline on one machine. Starts the embedded broker and registry
 * (unless pointed at a cluster), a controller and evaluators, runs a search with live progress
 * and prints the architecture it found. Run again with the same data dir, it resumes.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run a complete search on this machine: embedded Kafka and registry, controller, evaluators.")
final class DemoCommand implements Runnable {
  /** Settings of the demo search where they differ from the core's defaults; --set overrides them. */
  static final Map<String, String> DEMO_SETTINGS = Map.of("learningRate", "0.1", "maxIterations", "100");

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--data-dir", description = "Where the embedded broker keeps its data; run again with it to resume (default: ${DEFAULT-VALUE}).",
      defaultValue = "${sys:user.home}/.fpnas/demo")
  Path dataDir;

  @Option(names = "--evaluators", description = "Evaluator workers (default: ${DEFAULT-VALUE}).", defaultValue = "2")
  int evaluators;

  @Option(names = "--output", description = "Also write the result JSON to this file.")
  Path output;

  @Option(names = "--space", description = "Search space file (default: the shipped small example).")
  Path space;

  @Option(names = "--landscape", description = "Landscape file for the benchmark evaluator (default: the shipped example).")
  Path landscape;

  @Option(names = "--set", description = "A hyperparameter, name=value, as for submit.")
  Map<String, String> settings = new LinkedHashMap<>();

  @Option(names = "--simulated-ms", description = "Simulated time of one evaluation in ms (default: ${DEFAULT-VALUE}).", defaultValue = "0")
  long simulatedMs;

  @Option(names = "--bootstrap-servers", description = "Use this Kafka cluster instead of starting an embedded broker.")
  String bootstrapServers;

  @Option(names = "--schema-registry", description = "Schema registry of that cluster (needed with --bootstrap-servers).")
  String schemaRegistry;

  @Option(names = "--timeout", description = "Give up after this long, e.g. PT30M (default: ${DEFAULT-VALUE}).", defaultValue = "PT30M")
  Duration timeout;

  @Option(names = "--secure", description = "Embedded broker and registry with authentication and ACLs (data in "
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
    if ((bootstrapServers == null) != (schemaRegistry == null)) {
      throw new IllegalArgumentException("--bootstrap-servers and --schema-registry go together: give both or neither");
    }
    if (secure && bootstrapServers != null) {
      throw new IllegalArgumentException("--secure secures the embedded broker; it does not go with --bootstrap-servers");
    }
    if (secure) {
      dataDir = dataDir.resolve("secure"); // a secure broker cannot take over the plain one's data
    }
    SearchRequest request = request();
    PrintWriter out = spec.commandLine().getOut();
    EmbeddedInfra infra = null;
    try {
      String bootstrap = bootstrapServers;
      String registryUrl = schemaRegistry;
      if (bootstrap == null) {
        out.println("Starting Kafka (KRaft) and the schema registry in " + dataDir.resolve("infra") + " ...");
        out.flush();
        infra = new EmbeddedInfra(dataDir.resolve("infra")).kafkaPort(0).registryPort(0).secure(secure)
            .acls(AccessRules.bindings(AccessRules.services("User:" + EmbeddedInfra.SERVICES_USER))).start();
        bootstrap = infra.bootstrapServers();
        registryUrl = infra.schemaRegistryUrl();
        out.println("Kafka " + bootstrap + ", schema registry " + registryUrl);
      }
      DemoPrincipals who = secure ? DemoPrincipals.secure(infra, out) : DemoPrincipals.open(registryUrl);
      if (who.team() != null) {
        request.team(who.team());
      }
      SchemaRegistryClient registry = who.teamRegistry();
      ControllerService controllerService = new ControllerService(bootstrap, who.servicesRegistry());
      who.services().forEach(controllerService::property);
      EvaluatorService evaluatorPool = new EvaluatorService(bootstrap, who.servicesRegistry());
      who.services().forEach(evaluatorPool::clientProperty);
      try (SearchClient client = new SearchClient(bootstrap, registry)) {
        who.teamSettings().forEach(client::clientProperty);
        client.ensureTopics(request.team());
        try (ControllerService controller = controllerService.stateDir(dataDir.resolve("streams")).start();
            EvaluatorService evaluatorService = evaluatorPool.workers(evaluators).idPrefix("demo").start()) {
          out.println("Controller and " + evaluators + " evaluator(s) running.");
          SearchSpec search = resumeOrSubmit(bootstrap, registry, who.teamSettings(), client, request, out);
          int maxIterations = Hyperparameters.fromMap(search.getHyperparameters()).maxIterations();
          ProgressPrinter progress = new ProgressPrinter(out, System.console() != null, maxIterations, System::nanoTime);
          DistributionUpdate last = SearchWatcher.follow(bootstrap, registry, search.getTeam(), search.getSearchId(),
              who.teamSettings(), progress, timeout);
          SearchLog log = SearchHistory.read(bootstrap, registry, search.getTeam(), false, who.teamSettings())
              .search(search.getSearchId()).orElseThrow();
          report(out, log, last);
        }
      }
    } finally {
      if (infra != null) {
        infra.close();
      }
    }
  }

  private SearchRequest request() {
    String spaceText = space == null ? TextFiles.example("small-space.yaml") : TextFiles.read("--space", space);
    String landscapeText = landscape == null ? (space == null ? TextFiles.example("small-landscape.yaml") : null)
        : TextFiles.read("--landscape", landscape);
    if (landscapeText == null) {
      throw new IllegalArgumentException("--space was given without --landscape: the demo's benchmark evaluator needs one");
    }
    Map<String, String> merged = new LinkedHashMap<>(DEMO_SETTINGS);
    merged.putAll(settings);
    SearchRequest request = new SearchRequest(space == null ? "small-space.yaml" : space.getFileName().toString(), spaceText)
        .landscape(landscapeText).setAll(merged).evaluator("benchmark")
        .evaluatorSetting("simulatedMs", Long.toString(simulatedMs));
    // Validate before anything starts, so a bad --set fails at once.
    org.fpnas.controller.SearchSpecs.validate(request, 0L);
    return request;
  }

  private SearchSpec resumeOrSubmit(String bootstrap, SchemaRegistryClient registry, Map<String, String> clientSettings,
      SearchClient client, SearchRequest request, PrintWriter out) {
    Path idFile = dataDir.resolve("demo-search-id");
    Optional<String> previous = readId(idFile);
    if (previous.isPresent()) {
      Optional<SearchLog> log = SearchHistory.read(bootstrap, registry, request.team(), false, clientSettings)
          .search(previous.get());
      if (log.isPresent() && !log.get().state().equals("done") && !log.get().state().equals("cancelled")) {
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

  private void report(PrintWriter out, SearchLog log, DistributionUpdate last) {
    ObjectNode result = ResultReport.of(log);
    out.println();
    out.println("Search " + log.spec().getSearchId() + " finished after " + last.getIteration() + " iterations ("
        + last.getStopReason() + ").");
    out.println("Found architecture: " + result.get("finalArchitectureString").asText());
    result.get("finalArchitecture").fields().forEachRemaining(layer ->
        out.println("  " + layer.getKey() + ": " + layer.getValue()));
    out.printf(java.util.Locale.ROOT, "Probability %.4f, cost %s, samples evaluated %d%n",
        result.get("finalProbability").asDouble(), result.get("finalCost"), result.get("samplesEvaluated").asLong());
    if (result.has("finalRegret")) {
      out.printf(java.util.Locale.ROOT, "Regret against the landscape's best architecture: %.4f%n",
          result.get("finalRegret").asDouble());
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
