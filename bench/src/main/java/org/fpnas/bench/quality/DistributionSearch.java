package org.fpnas.bench.quality;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fpnas.core.Evaluation;
import org.fpnas.core.FpNas;
import org.fpnas.core.Hyperparameters;
import org.fpnas.core.Scorer;
import org.fpnas.core.SearchState;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.tabular.TabularBenchmark;

/**
 * FP-NAS or PARSEC on a tabular benchmark: the core's own update ({@link FpNas}) and sampler, in
 * the loop of {@code InProcessSearch}, scored by {@link TabularBenchmark#scorer}, stopped before
 * the iteration that would pass the largest budget. The answer at a budget is the mode after the
 * last update within it; the best queried is the queried architecture with the best signal (within
 * the cost target when one is set).
 */
final class DistributionSearch implements TabularMethod {
  private final String name;
  private final Map<String, String> settings;
  private final boolean knownCost;

  /**
   * @param name the name shown
   * @param settings hyperparameters where they differ from the core's defaults (seed and
   *     maxIterations are set per run)
   */
  DistributionSearch(String name, Map<String, String> settings) {
    this(name, settings, false);
  }

  /**
   * @param knownCost whether the search knows the table's cost column before it queries (samples
   *     and answers within {@code costTarget}); otherwise a cost is only seen once queried
   */
  DistributionSearch(String name, Map<String, String> settings, boolean knownCost) {
    this.name = name;
    this.settings = Map.copyOf(settings);
    this.knownCost = knownCost;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean distribution() {
    return true;
  }

  /** The settings that differ from the core's defaults. */
  Map<String, String> settings() {
    return settings;
  }

  @Override
  public Answers run(TabularBenchmark benchmark, long seed, int[] budgets) {
    TabularQueries queries = new TabularQueries(budgets);
    if (settings.containsKey("costTarget")) {
      queries.withinCost(benchmark, Double.parseDouble(settings.get("costTarget")));
    }
    Map<String, String> hp = new java.util.HashMap<>(settings);
    hp.put("seed", Long.toString(seed));
    hp.put("maxIterations", Integer.toString(queries.last())); // never the stop: the budget is
    FpNas fpNas =
        new FpNas(
            benchmark.space(),
            Hyperparameters.fromMap(hp),
            knownCost ? a -> benchmark.cost(benchmark.row(a)) : null);
    Scorer scorer = benchmark.scorer(seed);
    SearchState state = fpNas.initial();
    queries.answer(benchmark.row(fpNas.answer(state.distribution())));
    while (!state.done() && queries.count() + state.sampleCount() <= queries.last()) {
      queries.iteration(state.sampleCount());
      List<Architecture> samples =
          fpNas.samples(state.distribution(), state.iteration(), state.sampleCount());
      List<Evaluation> results = new ArrayList<>(samples.size());
      for (int k = 0; k < samples.size(); k++) {
        int row = benchmark.row(samples.get(k));
        int trainingSeed = benchmark.trainingSeed(row, seed, state.iteration(), k);
        Scorer.Score score = scorer.score(state.iteration(), k, samples.get(k));
        queries.observe(row, benchmark.accuracy(row, trainingSeed));
        results.add(new Evaluation(k, samples.get(k), score.logLikelihood(), score.cost()));
      }
      state = fpNas.update(state, results).next();
      queries.answer(benchmark.row(fpNas.answer(state.distribution())));
    }
    return queries.finish();
  }
}
