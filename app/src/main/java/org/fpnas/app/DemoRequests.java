package org.fpnas.app;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fpnas.client.SearchRequest;
import org.fpnas.client.SearchSpecs;
import org.fpnas.client.TabularSearches;
import org.fpnas.core.tabular.TabularBenchmark;
import org.fpnas.evaluator.djl.DjlDemoSettings;
import org.fpnas.evaluator.djl.DjlEvaluator;
import org.fpnas.evaluator.djl.DjlSettings;
import org.fpnas.evaluator.kinds.BenchmarkEvaluator;
import org.fpnas.evaluator.kinds.TabularEvaluator;

/**
 * The demo's search request for each evaluator kind: the demo's own settings over the defaults, the
 * user's over those, validated before anything starts, so that a bad setting fails at once.
 */
final class DemoRequests {
  /**
   * Settings of the benchmark demo's search where they differ from the core's defaults; --set
   * overrides them.
   */
  static final Map<String, String> BENCHMARK_HYPERPARAMETERS = Map.of("maxIterations", "100");

  /**
   * Settings of the tabular demo's search (NAS-Bench-201): 100 iterations, K falling from 12 to 4
   * with the entropy.
   */
  static final Map<String, String> TABULAR_HYPERPARAMETERS = Map.of("maxIterations", "100");

  /** The tabular demo's benchmark unless --evaluator-set benchmark=... says otherwise. */
  static final String TABULAR_BENCHMARK = "nasbench201-cifar10";

  private DemoRequests() {}

  /**
   * The request of a demo with this evaluator kind.
   *
   * @param space the search space file, null for the kind's shipped one
   * @param landscape the landscape file (benchmark only), null for the shipped one
   * @param simulatedMs simulated time of a benchmark evaluation (benchmark only)
   * @throws IllegalArgumentException for an unknown kind, an option of another kind or a bad
   *     setting
   */
  static SearchRequest of(
      String evaluator,
      Path space,
      Path landscape,
      Map<String, String> hyperparameters,
      Map<String, String> evaluatorSettings,
      long simulatedMs) {
    if (simulatedMs < 0) {
      throw new IllegalArgumentException("--simulated-ms must be >= 0, got " + simulatedMs);
    }
    if (evaluatorSettings.containsKey(DjlEvaluator.DATA_DIR)) {
      throw new IllegalArgumentException(
          "--evaluator-set "
              + DjlEvaluator.DATA_DIR
              + " is not a search's setting: the demo's evaluators read the data set from"
              + " --dataset-dir DIR");
    }
    boolean benchmark = evaluator.equals(BenchmarkEvaluator.KIND);
    if (!benchmark && (landscape != null || simulatedMs != 0)) {
      if (!evaluator.equals(DjlEvaluator.KIND) && !evaluator.equals(TabularEvaluator.KIND)) {
        throw unknownKind(evaluator);
      }
      throw new IllegalArgumentException(
          "--landscape and --simulated-ms are for --evaluator benchmark");
    }
    SearchRequest request =
        switch (evaluator) {
          case DjlEvaluator.KIND -> djl(space, hyperparameters, evaluatorSettings);
          case TabularEvaluator.KIND -> tabular(space, hyperparameters, evaluatorSettings);
          case BenchmarkEvaluator.KIND ->
              benchmark(space, landscape, hyperparameters, evaluatorSettings, simulatedMs);
          default -> throw unknownKind(evaluator);
        };
    // A table or landscape that does not fit the space fails here too.
    SearchSpecs.validate(request, 0L);
    return request;
  }

  private static SearchRequest djl(
      Path space, Map<String, String> hyperparameters, Map<String, String> evaluatorSettings) {
    SearchRequest request =
        spaceRequest(space, DjlDemoSettings.SPACE, DjlDemoSettings.HYPERPARAMETERS, hyperparameters)
            .evaluator(DjlEvaluator.KIND);
    Map<String, String> merged = new LinkedHashMap<>(DjlDemoSettings.EVALUATOR);
    merged.putAll(evaluatorSettings);
    DjlSettings.validate(merged);
    merged.forEach(request::evaluatorSetting);
    return request;
  }

  private static SearchRequest benchmark(
      Path space,
      Path landscape,
      Map<String, String> hyperparameters,
      Map<String, String> evaluatorSettings,
      long simulatedMs) {
    if (space != null && landscape == null) {
      throw new IllegalArgumentException(
          "--space was given without --landscape: the benchmark evaluator needs one");
    }
    String landscapeText =
        landscape == null
            ? TextFiles.example("small-landscape.yaml")
            : TextFiles.read("--landscape", landscape);
    SearchRequest request =
        spaceRequest(space, "small-space.yaml", BENCHMARK_HYPERPARAMETERS, hyperparameters)
            .evaluator(BenchmarkEvaluator.KIND)
            .landscape(landscapeText)
            .evaluatorSetting("simulatedMs", Long.toString(simulatedMs));
    evaluatorSettings.forEach(request::evaluatorSetting);
    return request;
  }

  private static SearchRequest tabular(
      Path space, Map<String, String> hyperparameters, Map<String, String> evaluatorSettings) {
    Map<String, String> merged =
        new LinkedHashMap<>(Map.of(TabularEvaluator.BENCHMARK, TABULAR_BENCHMARK));
    merged.putAll(evaluatorSettings);
    TabularBenchmark table = TabularSearches.benchmark(merged);
    String spaceName =
        space == null ? table.name() + "/space.yaml" : space.getFileName().toString();
    String spaceText = space == null ? table.space().toYaml() : TextFiles.read("--space", space);
    SearchRequest request =
        new SearchRequest(spaceName, spaceText)
            .setAll(over(TABULAR_HYPERPARAMETERS, hyperparameters))
            .evaluator(TabularEvaluator.KIND);
    merged.forEach(request::evaluatorSetting);
    return request;
  }

  private static SearchRequest spaceRequest(
      Path space,
      String shipped,
      Map<String, String> demoHyperparameters,
      Map<String, String> hyperparameters) {
    String name = space == null ? shipped : space.getFileName().toString();
    String text = space == null ? TextFiles.example(shipped) : TextFiles.read("--space", space);
    return new SearchRequest(name, text).setAll(over(demoHyperparameters, hyperparameters));
  }

  private static Map<String, String> over(Map<String, String> base, Map<String, String> given) {
    Map<String, String> merged = new LinkedHashMap<>(base);
    merged.putAll(given);
    return merged;
  }

  private static IllegalArgumentException unknownKind(String evaluator) {
    return new IllegalArgumentException(
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
}
