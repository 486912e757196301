package org.fpnas.client.fold;

import java.util.ArrayList;
import java.util.List;
import org.fpnas.client.wire.WireConversions;
import org.fpnas.core.Evaluation;
import org.fpnas.core.IterationOutcome;
import org.fpnas.core.SearchState;
import org.fpnas.core.StopReason;
import org.fpnas.core.space.Architecture;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.EvaluationResult;
import org.fpnas.schemas.avro.SearchSpec;

/**
 * The fold: the one function from a search's events to its state. The aggregator runs it live,
 * {@code Replay} runs it again on the recorded events and {@code WhatIf} with changed
 * hyperparameters, so all three take the same path: a new search starts uniform, a fork starts from
 * its parent's state, an iteration closes with the core update on its usable results, and a cancel
 * ends the search where it is.
 */
public final class SearchFold {
  private SearchFold() {}

  /** Iteration 0 of a new search, or the starting iteration of a fork. */
  public static DistributionUpdate initialUpdate(
      SearchSpec spec, SearchModels.Model model, long nowMs) {
    SearchState state;
    DistributionUpdate parent = spec.getStartFrom();
    if (parent == null) {
      state = model.fpnas().initial();
    } else {
      SearchState p = WireConversions.state(model.space(), parent);
      // The fork keeps the parent's logits and Adam state; K and the stop rules are its own.
      state = p.forked(model.fpnas().sampleCount(p.distribution()));
    }
    return WireConversions.update(spec.getSearchId(), spec.getTeam(), state, model.fpnas(), nowMs)
        .build();
  }

  /** The final update of a search that a user cancelled: the same distribution, marked done. */
  public static DistributionUpdate cancelled(DistributionUpdate current, long nowMs) {
    return DistributionUpdate.newBuilder(current)
        .setVersion(current.getVersion() + 1)
        .setDone(true)
        .setStopReason(StopReason.CANCELLED.wireName())
        .setSamplesUsed(0)
        .setSamplesMissing(0)
        .setUsedSampleIds(List.of())
        .setEffectiveSampleSize(null)
        .setExpectedCost(null)
        .setMeanLogLikelihood(null)
        .setMaxLogLikelihood(null)
        .setCreatedAtMs(nowMs)
        .build();
  }

  /**
   * Closes an iteration: the core update on its usable results (OK results, in sample id order), as
   * the next published distribution, which names them.
   */
  public static DistributionUpdate next(
      SearchSpec spec,
      SearchModels.Model model,
      SearchState state,
      List<EvaluationResult> usable,
      int sampleCount,
      long nowMs) {
    List<Evaluation> evaluations = evaluations(model, state, usable);
    List<String> usedSampleIds = usable.stream().map(EvaluationResult::getSampleId).toList();
    if (evaluations.isEmpty()) {
      return carryForward(spec, model, state, sampleCount, nowMs);
    }
    IterationOutcome o = model.fpnas().update(state, evaluations);
    return WireConversions.update(
            spec.getSearchId(), spec.getTeam(), o.next(), model.fpnas(), nowMs)
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
   * The results as the core update takes them. Each architecture is drawn again from the seed and
   * the distribution the sample came from, never trusted from the wire.
   */
  public static List<Evaluation> evaluations(
      SearchModels.Model model, SearchState drawnFrom, List<EvaluationResult> results) {
    List<Evaluation> out = new ArrayList<>(results.size());
    for (EvaluationResult r : results) {
      Architecture a =
          model.fpnas().sample(drawnFrom.distribution(), r.getIteration(), r.getIndex());
      out.add(new Evaluation(r.getIndex(), a, r.getLogLikelihood(), r.getCost()));
    }
    return out;
  }

  /**
   * Every sample of the iteration failed: there is no likelihood to learn from, so the distribution
   * stays as it is and the search moves on to the next iteration (which draws new samples), within
   * its iteration budget.
   */
  private static DistributionUpdate carryForward(
      SearchSpec spec, SearchModels.Model model, SearchState state, int sampleCount, long nowMs) {
    SearchState carried = state.carriedForward(model.hyperparameters().maxIterations());
    return WireConversions.update(spec.getSearchId(), spec.getTeam(), carried, model.fpnas(), nowMs)
        .setSamplesUsed(0)
        .setSamplesMissing(sampleCount)
        .setUsedSampleIds(List.of())
        .build();
  }
}
