package org.fpnas.client.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fpnas.client.fold.SearchFold;
import org.fpnas.client.fold.SearchModels;
import org.fpnas.client.wire.WireConversions;
import org.fpnas.core.Evaluation;
import org.fpnas.core.SearchState;
import org.fpnas.core.StopReason;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.EvaluationResult;

/**
 * One closed iteration as recorded: the distribution the update was applied to (in synchronous
 * iterations the one every sample was drawn from), the results the update used (with the
 * architectures regenerated from the distributions they were drawn from) and the update that closed
 * it.
 */
record RecordedIteration(
    DistributionUpdate drawnFrom,
    SearchState state,
    List<EvaluationResult> used,
    List<Evaluation> evaluations,
    DistributionUpdate closedBy) {

  /**
   * The closed iterations of a search, in order; stops at an end without update (a cancel) or a
   * missing result.
   */
  static List<RecordedIteration> of(SearchLog log, SearchModels.Model model) {
    Map<String, EvaluationResult> firstById = Replay.firstResultById(log.results());
    List<DistributionUpdate> updates = log.updates();
    List<RecordedIteration> out = new ArrayList<>();
    DrawnFrom drawn = new DrawnFrom(model.space());
    updates.forEach(drawn::add);
    for (int t = 1; t < updates.size(); t++) {
      DistributionUpdate closedBy = updates.get(t);
      if (StopReason.endedWithoutUpdate(closedBy.getStopReason())) {
        break;
      }
      DistributionUpdate drawnFrom = updates.get(t - 1);
      SearchState state = WireConversions.state(model.space(), drawnFrom);
      List<EvaluationResult> used = new ArrayList<>();
      for (String id : closedBy.getUsedSampleIds()) {
        EvaluationResult r = firstById.get(id);
        if (r == null) {
          return out;
        }
        used.add(r);
      }
      List<Evaluation> evaluations =
          SearchFold.evaluations(model, used, drawn.architectures(model, state));
      out.add(new RecordedIteration(drawnFrom, state, used, evaluations, closedBy));
    }
    return out;
  }
}
