package org.fpnas.client.history;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.fpnas.client.fold.SearchFold;
import org.fpnas.client.fold.SearchModels;
import org.fpnas.client.wire.WireConversions;
import org.fpnas.core.Distribution;
import org.fpnas.core.SearchState;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.SearchSpace;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.EvaluationResult;

/**
 * A search's distributions by iteration, to draw each result's architecture again from the
 * distribution it names: in the asynchronous schedule an update takes results drawn from several
 * earlier distributions, in synchronous iterations only from the one it updates.
 */
final class DrawnFrom {
  private final SearchSpace space;
  private final Map<Integer, DistributionUpdate> byIteration = new HashMap<>();
  private final Map<Integer, Distribution> parsed = new HashMap<>();

  DrawnFrom(SearchSpace space) {
    this.space = space;
  }

  /** The first update of each iteration (a cancel republishes the last one). */
  void add(DistributionUpdate update) {
    byIteration.putIfAbsent(update.getIteration(), update);
  }

  /** The architecture of each result, for an update of {@code state}. */
  Function<EvaluationResult, Architecture> architectures(
      SearchModels.Model model, SearchState state) {
    if (!model.hyperparameters().asynchronous()) {
      return r -> SearchFold.drawn(model, state.distribution(), r);
    }
    return r -> SearchFold.drawn(model, distribution(r.getIteration()), r);
  }

  private Distribution distribution(int iteration) {
    Distribution d = parsed.get(iteration);
    if (d == null) {
      DistributionUpdate u = byIteration.get(iteration);
      if (u == null) {
        throw new IllegalArgumentException(
            "a result names iteration " + iteration + ", which the record does not hold");
      }
      d = WireConversions.distribution(space, u);
      parsed.put(iteration, d);
    }
    return d;
  }
}
