package org.fpnas.controller;

import java.util.List;
import org.fpnas.core.Evaluation;
import org.fpnas.core.IterationOutcome;
import org.fpnas.core.SearchState;
import org.fpnas.core.StopReason;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.SearchSpec;

/** Closes an iteration: the core update on the usable results, as the next published distribution. */
final class Iterations {
  private Iterations() {}

  static DistributionUpdate next(SearchSpec spec, SearchModels.Model model, SearchState state,
      List<Evaluation> evaluations, List<String> usedSampleIds, int sampleCount, long nowMs) {
    if (evaluations.isEmpty()) {
      return carryForward(spec, model, state, sampleCount, nowMs);
    }
    IterationOutcome o = model.fpnas().update(state, evaluations);
    return WireConversions.update(spec.getSearchId(), spec.getTeam(), o.next(), nowMs)
        .setSamplesUsed(o.samplesUsed())
        .setSamplesMissing(sampleCount - o.samplesUsed())
        .setUsedSampleIds(usedSampleIds)
        .setEffectiveSampleSize(o.effectiveSampleSize())
        .setExpectedCost(o.expectedCost())
        .setMeanLogLikelihood(o.meanLogLikelihood())
        .setMaxLogLikelihood(o.maxLogLikelihood())
        .build();
  }

  /**
   * Every sample of the iteration failed: there is no likelihood to learn from, so the
   * distribution stays as it is and the search moves on to the next iteration (which draws new
   * samples), within its iteration budget.
   */
  private static DistributionUpdate carryForward(SearchSpec spec, SearchModels.Model model, SearchState state,
      int sampleCount, long nowMs) {
    int iteration = state.iteration() + 1;
    boolean done = iteration >= model.hyperparameters().maxIterations();
    SearchState carried = SearchState.of(state.distribution(), state.firstMoment(), state.secondMoment(),
        state.adamStep(), iteration, state.sampleCount(), state.modeStableIterations(), done,
        done ? StopReason.MAX_ITERATIONS : null);
    return WireConversions.update(spec.getSearchId(), spec.getTeam(), carried, nowMs)
        .setSamplesUsed(0)
        .setSamplesMissing(sampleCount)
        .setUsedSampleIds(List.of())
        .build();
  }
}
