package org.fpnas.evaluator.kinds;

import java.util.Map;
import org.fpnas.core.tabular.TabularBenchmark;
import org.fpnas.core.tabular.TabularBenchmarks;
import org.fpnas.evaluator.api.EvaluationRequest;
import org.fpnas.evaluator.api.Evaluator;
import org.fpnas.evaluator.api.EvaluatorProvider;
import org.fpnas.evaluator.api.Measurement;

/**
 * Evaluates a sample by looking it up in a tabular benchmark (core's {@link TabularBenchmark}): the
 * log-likelihood of one training seed's recorded accuracy, the seed a pure function of (search
 * seed, iteration, index), so a search is bit-reproducible. The search's setting {@code benchmark}
 * names a shipped benchmark; submit has already checked that its table fits the search's space
 * ({@code SearchSpecs}), so a mismatch here is a bug, not bad input. The held-out metric never
 * leaves the table: results carry the signal, never the test accuracy.
 */
public final class TabularEvaluator implements Evaluator {
  /** The kind name of this evaluator. */
  public static final String KIND = "tabular";

  /** Search setting: the benchmark, by its shipped name. */
  public static final String BENCHMARK = "benchmark";

  @Override
  public Measurement evaluate(EvaluationRequest request) {
    TabularBenchmark benchmark = benchmark(request.settings());
    if (!benchmark.space().equals(request.space())) {
      throw new IllegalStateException(
          "search "
              + request.searchId()
              + " is over space '"
              + request.space().name()
              + "', benchmark "
              + benchmark.name()
              + " over '"
              + benchmark.space().name()
              + "'");
    }
    int row = benchmark.row(request.architecture());
    int trainingSeed =
        benchmark.trainingSeed(row, request.seed(), request.iteration(), request.index());
    return new Measurement(
        benchmark.logLikelihood(row, trainingSeed),
        benchmark.cost(row),
        Map.of(
            "signalAccuracy",
            100 * benchmark.accuracy(row, trainingSeed),
            "trainingSeed",
            (double) trainingSeed));
  }

  /**
   * The shipped benchmark a search names. Anything else is refused before a file is looked at: a
   * spec is a team's, it may reach the pool without submit's checks, and the refusal goes back to
   * the team as a FAILED result, so it names the setting and never echoes the value (it may be a
   * path of this host).
   */
  static TabularBenchmark benchmark(Map<String, String> settings) {
    String name = settings.get(BENCHMARK);
    if (name == null || !TabularBenchmark.SHIPPED.contains(name.strip())) {
      throw new IllegalArgumentException(
          "evaluator setting "
              + BENCHMARK
              + " must name a benchmark the evaluators ship ("
              + String.join(", ", TabularBenchmark.SHIPPED)
              + "); which files the evaluators read is the evaluator operator's to configure, not a"
              + " search's");
    }
    return TabularBenchmarks.get(name.strip());
  }

  /** The provider that the service finds with ServiceLoader. */
  public static final class Provider implements EvaluatorProvider {
    @Override
    public String kind() {
      return KIND;
    }

    @Override
    public Evaluator create(Map<String, String> serviceSettings) {
      return new TabularEvaluator();
    }
  }
}
