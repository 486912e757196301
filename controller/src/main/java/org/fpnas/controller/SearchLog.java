package org.fpnas.controller;

import java.util.List;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.EvaluationResult;
import org.fpnas.schemas.avro.SearchSpec;

/** The recorded history of one search: its spec, its distributions in order and its results. */
public record SearchLog(SearchSpec spec, List<DistributionUpdate> updates, List<EvaluationResult> results) {
  public SearchLog {
    updates = List.copyOf(updates);
    results = List.copyOf(results);
  }

  /** The latest distribution, or null if the aggregator has not published one yet. */
  public DistributionUpdate latest() {
    return updates.isEmpty() ? null : updates.get(updates.size() - 1);
  }

  /** submitted, running, done or cancelled. */
  public String state() {
    DistributionUpdate latest = latest();
    if (latest == null) {
      return spec.getCancelled() ? "cancelled" : "submitted";
    }
    if (latest.getDone()) {
      return "cancelled".equals(latest.getStopReason()) ? "cancelled" : "done";
    }
    return "running";
  }

  /** Samples that have a result of any status. */
  public long samplesEvaluated() {
    return results.stream().map(EvaluationResult::getSampleId).distinct().count();
  }
}
