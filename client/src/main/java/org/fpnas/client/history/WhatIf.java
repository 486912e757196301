package org.fpnas.client.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fpnas.client.fold.SearchFold;
import org.fpnas.client.fold.SearchModels;
import org.fpnas.client.wire.WireConversions;
import org.fpnas.core.FpNas;
import org.fpnas.core.Hyperparameters;
import org.fpnas.core.SearchState;
import org.fpnas.core.space.Architecture;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.SearchSpec;

/**
 * Re-runs a search's updates on its recorded evaluations with other hyperparameters.
 *
 * <p>What it can tell: how the update rule with the new settings (learning rate, temperature, β and
 * cost target, weight decay, coarse-to-fine switch, stop rules) moves the distribution given the
 * same evidence. What it cannot tell: which architectures the changed search would have sampled;
 * every re-run iteration uses the samples that the original distribution drew (and the original
 * number of them, whatever K the new settings would choose). For that, fork the search with the new
 * settings and let it sample.
 */
public final class WhatIf {
  /** Caveat printed with every what-if report. */
  public static final String CAVEAT =
      "what-if: the updates are re-run on the recorded evaluations; the samples were "
          + "drawn from the original distributions, so this shows how the new settings respond to the same evidence, "
          + "not which architectures a search with them would have sampled (fork the search for that)";

  private WhatIf() {}

  /** One iteration of the comparison. */
  public record Row(
      int iteration,
      double originalEntropy,
      double whatIfEntropy,
      Architecture originalMode,
      Architecture whatIfMode,
      String whatIfPhase) {}

  /** The comparison, iteration by iteration, and the final architectures. */
  public record Report(
      List<Row> rows,
      SearchState originalFinal,
      SearchState whatIfFinal,
      Architecture originalMode,
      Architecture whatIfMode,
      List<SearchState> whatIfStates) {
    public boolean sameFinalArchitecture() {
      return originalMode.equals(whatIfMode);
    }
  }

  public static Report run(SearchLog log, Map<String, String> overrides) {
    SearchSpec spec = log.spec();
    SearchModels.Model original = SearchModels.parse(spec);
    Hyperparameters hp = original.hyperparameters();
    for (var e : overrides.entrySet()) {
      hp = hp.with(e.getKey(), e.getValue());
    }
    if (hp.seed() != original.hyperparameters().seed()) {
      throw new IllegalArgumentException(
          "seed cannot be changed in a what-if: the recorded samples fix it");
    }
    FpNas fpnas = new FpNas(original.space(), hp);
    SearchModels.Model changed = new SearchModels.Model(original.space(), hp, fpnas);
    SearchState state =
        WireConversions.state(original.space(), SearchFold.initialUpdate(spec, changed, 0L));
    List<SearchState> states = new ArrayList<>(List.of(state));
    List<Row> rows = new ArrayList<>();
    DistributionUpdate first = log.updates().isEmpty() ? null : log.updates().get(0);
    if (first != null) {
      rows.add(row(original, first, state));
    }
    for (RecordedIteration it : RecordedIteration.of(log, original)) {
      if (state.done()) {
        break;
      }
      // The recorded samples, whatever K the new settings would have drawn.
      SearchState withRecordedK = state.withSampleCount(it.drawnFrom().getSampleCount());
      state =
          it.evaluations().isEmpty() ? state : fpnas.update(withRecordedK, it.evaluations()).next();
      states.add(state);
      rows.add(row(original, it.closedBy(), state));
    }
    DistributionUpdate last = log.latest();
    SearchState originalFinal = last == null ? null : WireConversions.state(original.space(), last);
    return new Report(
        rows,
        originalFinal,
        state,
        originalFinal == null ? null : originalFinal.distribution().mode(),
        state.distribution().mode(),
        states);
  }

  private static Row row(
      SearchModels.Model model, DistributionUpdate recorded, SearchState whatIf) {
    return new Row(
        recorded.getIteration(),
        recorded.getEntropy(),
        whatIf.distribution().entropy(),
        WireConversions.architecture(recorded.getMode()),
        whatIf.distribution().mode(),
        whatIf.distribution().phase().name());
  }
}
