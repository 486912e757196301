package org.fpnas.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.SearchSpace;
import org.fpnas.core.tabular.TabularBenchmark;
import org.fpnas.core.tabular.TabularBenchmarks;
import org.fpnas.core.tabular.TabularRandomSearch;

/**
 * What the controller knows of searches with the {@code tabular} evaluator: the checks at submit
 * (the table must fit the search's space, so that no evaluation fails mid-search) and the result's
 * held-out figures, read against random search with the same number of queries.
 */
public final class TabularSearches {
  /** The evaluator kind (the evaluator module's {@code TabularEvaluator.KIND}). */
  public static final String KIND = "tabular";

  public static final String BENCHMARK = "benchmark";

  /** Random-search runs the result compares with (seeds 0..RUNS-1). */
  public static final int RANDOM_SEARCH_RUNS = 100;

  private TabularSearches() {}

  /**
   * Refuses a tabular search whose benchmark is not a shipped one ({@link #benchmark}) or whose
   * space is not the benchmark's.
   */
  public static void validate(
      SearchSpace space, Map<String, String> evaluatorSettings, String landscape) {
    for (String key : evaluatorSettings.keySet()) {
      if (!key.equals(BENCHMARK)) {
        throw new IllegalArgumentException(
            "unknown setting '" + key + "' of the tabular evaluator (known: " + BENCHMARK + ")");
      }
    }
    if (landscape != null) {
      throw new IllegalArgumentException(
          "the tabular evaluator reads a table, not a landscape: drop --landscape");
    }
    TabularBenchmark benchmark = benchmark(evaluatorSettings);
    if (!benchmark.space().equals(space)) {
      throw new IllegalArgumentException(
          "the search's space '"
              + space.name()
              + "' is not the space of benchmark "
              + benchmark.name()
              + " ('"
              + benchmark.space().name()
              + "', "
              + benchmark.size()
              + " architectures): search that benchmark's space file");
    }
  }

  /**
   * The benchmark a search names: a shipped one only. The evaluators look it up on their machines
   * and tell the team what went wrong, so a path would let a team make the pool read a file of the
   * pool's host; which files the pool reads is its operator's to configure.
   *
   * @throws IllegalArgumentException naming the setting, for no benchmark or one not shipped
   */
  public static TabularBenchmark benchmark(Map<String, String> evaluatorSettings) {
    String name = evaluatorSettings.get(BENCHMARK);
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(
          "the tabular evaluator needs the setting benchmark=NAME (shipped: "
              + String.join(", ", TabularBenchmark.SHIPPED)
              + ")");
    }
    if (!TabularBenchmark.SHIPPED.contains(name.strip())) {
      throw new IllegalArgumentException(
          "evaluator setting benchmark: unknown benchmark '"
              + name
              + "'; a search names one the evaluators ship ("
              + String.join(", ", TabularBenchmark.SHIPPED)
              + "), not a file: which files the evaluators read is the evaluator operator's to"
              + " configure");
    }
    return TabularBenchmarks.get(name.strip());
  }

  /**
   * Adds the answer's cost, held-out metric, rank and the random-search reference to a result; for
   * a spec that names no shipped benchmark (written past submit), nothing, since the report must
   * not read a file that a spec names where it runs (the dashboard serves every team).
   */
  public static void report(
      ObjectNode root, Map<String, String> evaluatorSettings, Architecture answer, long queries) {
    String name = evaluatorSettings.get(BENCHMARK);
    if (name == null || !TabularBenchmark.SHIPPED.contains(name.strip())) {
      root.putNull("finalCost");
      return;
    }
    TabularBenchmark benchmark = TabularBenchmarks.get(name.strip());
    int row = benchmark.row(answer);
    root.put("finalCost", benchmark.cost(row));
    root.put("finalHeldOut", benchmark.heldOut(row));
    root.put("finalRank", benchmark.rank(row));
    ObjectNode table = root.putObject("tabular");
    table.put("benchmark", benchmark.name());
    table.put("heldOutMetric", benchmark.mapping().heldOutDescription());
    table.put("cost", benchmark.mapping().costDescription());
    table.put("architectures", benchmark.size());
    table.put("optimum", benchmark.heldOut(benchmark.bestRow()));
    table.put("optimumArchitecture", benchmark.architecture(benchmark.bestRow()).toString());
    ObjectNode random = table.putObject("randomSearch");
    random.put("queries", queries);
    random.put("runs", RANDOM_SEARCH_RUNS);
    if (queries > 0) {
      double[] heldOut = new double[RANDOM_SEARCH_RUNS];
      double rankSum = 0;
      for (int s = 0; s < RANDOM_SEARCH_RUNS; s++) {
        int answered =
            TabularRandomSearch.answers(benchmark, s, (int) Math.min(queries, Integer.MAX_VALUE))[
                0];
        heldOut[s] = benchmark.heldOut(answered);
        rankSum += benchmark.rank(answered);
      }
      double mean = 0;
      for (double v : heldOut) {
        mean += v / RANDOM_SEARCH_RUNS;
      }
      double squares = 0;
      for (double v : heldOut) {
        squares += (v - mean) * (v - mean);
      }
      random.put("meanHeldOut", mean);
      random.put("sdHeldOut", Math.sqrt(squares / (RANDOM_SEARCH_RUNS - 1)));
      random.put("meanRank", rankSum / RANDOM_SEARCH_RUNS);
    }
  }
}
