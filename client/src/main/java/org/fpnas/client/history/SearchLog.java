package org.fpnas.client.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fpnas.core.StopReason;
import org.fpnas.schemas.avro.AdmissionState;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.EvaluationResult;
import org.fpnas.schemas.avro.SearchAdmission;
import org.fpnas.schemas.avro.SearchSpec;

/**
 * The recorded history of one search: its spec, its distributions in order, its results and, for a
 * team with a search limit, whether it runs or waits for a search slot (null when never recorded).
 *
 * <p>A summary ({@link #summaryOf}) stands in for the log of a search that ended long ago in a
 * follower that keeps a bounded working set ({@link LiveHistory}): enough for a list of searches
 * (state, last and best distribution, samples evaluated), not for the search's own page.
 *
 * @param summary null for a whole log; what a summary keeps of the results otherwise
 */
public record SearchLog(
    SearchSpec spec,
    List<DistributionUpdate> updates,
    List<EvaluationResult> results,
    SearchAdmission admission,
    Summary summary) {
  public SearchLog {
    updates = List.copyOf(updates);
    results = List.copyOf(results);
  }

  private static final String SCHEDULE = "schedule";

  /** What a summary keeps of the results it dropped. */
  public record Summary(long samplesEvaluated) {}

  public SearchLog(
      SearchSpec spec, List<DistributionUpdate> updates, List<EvaluationResult> results) {
    this(spec, updates, results, null, null);
  }

  public SearchLog(
      SearchSpec spec,
      List<DistributionUpdate> updates,
      List<EvaluationResult> results,
      SearchAdmission admission) {
    this(spec, updates, results, admission, null);
  }

  /**
   * A summary of a whole log: its spec without the space, landscape, start distribution, evaluator
   * settings and hyperparameters (but the schedule); its latest distribution and the one with the
   * best log-likelihood, each without its logits, moments and sample ids; no results, only their
   * count.
   */
  public static SearchLog summaryOf(SearchLog whole) {
    if (whole.summary() != null) {
      return whole;
    }
    Map<String, String> schedule = new HashMap<>();
    String scheduled = whole.spec().getHyperparameters().get(SCHEDULE);
    if (scheduled != null) {
      schedule.put(SCHEDULE, scheduled);
    }
    SearchSpec spec =
        SearchSpec.newBuilder(whole.spec())
            .setSpace("")
            .setHyperparameters(schedule)
            .setEvaluatorSettings(Map.of())
            .setLandscape(null)
            .setStartFrom(null)
            .build();
    List<DistributionUpdate> kept = new ArrayList<>();
    DistributionUpdate best = null;
    for (DistributionUpdate u : whole.updates()) {
      if (u.getMaxLogLikelihood() != null
          && (best == null || u.getMaxLogLikelihood() > best.getMaxLogLikelihood())) {
        best = u;
      }
    }
    if (best != null && best != whole.latest()) {
      kept.add(scalarsOf(best));
    }
    if (whole.latest() != null) {
      kept.add(scalarsOf(whole.latest()));
    }
    return new SearchLog(
        spec, kept, List.of(), whole.admission(), new Summary(whole.samplesEvaluated()));
  }

  private static DistributionUpdate scalarsOf(DistributionUpdate u) {
    return DistributionUpdate.newBuilder(u)
        .setLogits(List.of())
        .setAdamFirstMoment(List.of())
        .setAdamSecondMoment(List.of())
        .setUsedSampleIds(List.of())
        .build();
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
    return "asynchronous".equals(spec.getHyperparameters().get(SCHEDULE));
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
    return summary != null
        ? summary.samplesEvaluated()
        : results.stream().map(EvaluationResult::getSampleId).distinct().count();
  }
}
