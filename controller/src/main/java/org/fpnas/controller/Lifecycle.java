package org.fpnas.controller;

import java.util.List;
import org.fpnas.core.SearchState;
import org.fpnas.core.StopReason;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.SearchSpec;

/**
 * The distributions that start and stop a search, shared by the aggregator and replay so both
 * take the same path: a new search starts uniform, a fork starts from its parent's state.
 */
final class Lifecycle {
  private Lifecycle() {}

  /** Iteration 0 of a new search, or the starting iteration of a fork. */
  static DistributionUpdate initialUpdate(SearchSpec spec, SearchModels.Model model, long nowMs) {
    SearchState state;
    DistributionUpdate parent = spec.getStartFrom();
    if (parent == null) {
      state = model.fpnas().initial();
    } else {
      SearchState p = WireConversions.state(model.space(), parent);
      // The fork keeps the parent's logits and Adam state; K and the stop rules are its own.
      state = SearchState.of(p.distribution(), p.firstMoment(), p.secondMoment(), p.adamStep(), p.iteration(),
          model.fpnas().sampleCount(p.distribution()), 0, false, null);
    }
    return WireConversions.update(spec.getSearchId(), spec.getTeam(), state, nowMs).build();
  }

  /** The final update of a search that a user cancelled: the same distribution, marked done. */
  static DistributionUpdate cancelled(DistributionUpdate current, long nowMs) {
    return DistributionUpdate.newBuilder(current)
        .setVersion(current.getVersion() + 1).setDone(true).setStopReason(StopReason.CANCELLED.wireName())
        .setSamplesUsed(0).setSamplesMissing(0).setUsedSampleIds(List.of())
        .setEffectiveSampleSize(null).setExpectedCost(null).setMeanLogLikelihood(null).setMaxLogLikelihood(null)
        .setCreatedAtMs(nowMs).build();
  }
}
