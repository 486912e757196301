package org.fpnas.client.history;

import java.util.List;
import org.fpnas.core.StopReason;
import org.fpnas.schemas.avro.AdmissionState;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.EvaluationResult;
import org.fpnas.schemas.avro.SearchAdmission;
import org.fpnas.schemas.avro.SearchSpec;

/**
 * The recorded history of one search: its spec, its distributions in order, its results and, for a
 * team with a search limit, whether it runs or waits for a search slot (null when never recorded).
 */
public record SearchLog(
    SearchSpec spec,
    List<DistributionUpdate> updates,
    List<EvaluationResult> results,
    SearchAdmission admission) {
  public SearchLog {
    updates = List.copyOf(updates);
    results = List.copyOf(results);
  }

  public SearchLog(
      SearchSpec spec, List<DistributionUpdate> updates, List<EvaluationResult> results) {
    this(spec, updates, results, null);
  }

  /** The latest distribution, or null if the aggregator has not published one yet. */
  public DistributionUpdate latest() {
    return updates.isEmpty() ? null : updates.get(updates.size() - 1);
  }

  /**
   * Whether the search runs in the asynchronous schedule: then an update's iteration counts updates
   * and its K is the number of results the next update waits for.
   */
  public boolean asynchronous() {
    return "asynchronous".equals(spec.getHyperparameters().get("schedule"));
  }

  /** submitted, waiting (for one of its team's search slots), running, done or cancelled. */
  public String state() {
    DistributionUpdate latest = latest();
    if (latest == null) {
      return spec.getCancelled() ? "cancelled" : "submitted";
    }
    if (latest.getDone()) {
      return StopReason.CANCELLED.wireName().equals(latest.getStopReason()) ? "cancelled" : "done";
    }
    return waitingReason() != null ? "waiting" : "running";
  }

  /**
   * Why the search waits for a search slot (the team's limit and its place in the queue), or null.
   */
  public String waitingReason() {
    DistributionUpdate latest = latest();
    if (admission == null
        || admission.getState() != AdmissionState.WAITING
        || (latest != null && latest.getDone())
        || spec.getCancelled()) {
      return null;
    }
    return admission.getReason();
  }

  /** Samples that have a result of any status. */
  public long samplesEvaluated() {
    return results.stream().map(EvaluationResult::getSampleId).distinct().count();
  }
}
