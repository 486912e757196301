package org.fpnas.bench.pipeline;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fpnas.bench.report.Stats;
import org.fpnas.schemas.avro.EvaluationResult;

/**
 * What the evaluators did over a search, from its results alone: how long each one waited between
 * two of its evaluations, and how evenly the samples spread over the pool.
 */
public final class EvaluatorLoad {
  private EvaluatorLoad() {}

  /**
   * One evaluation as its result reports it, on the evaluator's clock (ms).
   *
   * @param evaluatorId the evaluator that evaluated the sample
   * @param startedAtMs when the evaluation started: the result's finishedAtMs − durationMs
   * @param finishedAtMs when it finished
   */
  public record Evaluation(String evaluatorId, long startedAtMs, long finishedAtMs) {
    /** The evaluation a result reports. */
    public static Evaluation of(EvaluationResult r) {
      return new Evaluation(
          r.getEvaluatorId(), r.getFinishedAtMs() - r.getDurationMs(), r.getFinishedAtMs());
    }
  }

  /**
   * Per evaluator, its evaluations in the order they started, the time from the end of each to the
   * start of the evaluator's next one (ms). An evaluator's first and last evaluation bound its
   * gaps: the time before the first and after the last is not a gap. A next evaluation that starts
   * before the last one's end (the clocks' millisecond rounding) counts as no gap.
   */
  public static double[] gapsMs(Collection<Evaluation> evaluations) {
    Map<String, List<Evaluation>> byEvaluator = new HashMap<>();
    for (Evaluation e : evaluations) {
      byEvaluator.computeIfAbsent(e.evaluatorId(), id -> new ArrayList<>()).add(e);
    }
    List<Double> gaps = new ArrayList<>();
    for (List<Evaluation> own : byEvaluator.values()) {
      own.sort(
          Comparator.comparingLong(Evaluation::startedAtMs)
              .thenComparingLong(Evaluation::finishedAtMs));
      for (int i = 1; i < own.size(); i++) {
        gaps.add((double) Math.max(0, own.get(i).startedAtMs() - own.get(i - 1).finishedAtMs()));
      }
    }
    return gaps.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /**
   * The 99th percentile of the evaluators' gaps ({@link #gapsMs}); NaN when no evaluator evaluated
   * two samples.
   */
  public static double p99GapMs(Collection<Evaluation> evaluations) {
    double[] gaps = gapsMs(evaluations);
    return gaps.length == 0 ? Double.NaN : Stats.percentile(gaps, 99);
  }

  /**
   * The evaluations of the evaluator that did most of them over the mean per evaluator of a pool of
   * {@code evaluators} (evaluators that did none count in the mean); 1 is a perfectly even spread,
   * {@code evaluators} one evaluator doing everything. NaN without evaluations.
   *
   * @throws IllegalArgumentException for fewer than one evaluator, or fewer than the evaluations
   *     name
   */
  public static double busiestOverMean(Collection<Evaluation> evaluations, int evaluators) {
    if (evaluators < 1) {
      throw new IllegalArgumentException("a pool has at least one evaluator, got " + evaluators);
    }
    Map<String, Integer> counts = new HashMap<>();
    for (Evaluation e : evaluations) {
      counts.merge(e.evaluatorId(), 1, Integer::sum);
    }
    if (counts.size() > evaluators) {
      throw new IllegalArgumentException(
          counts.size() + " evaluators evaluated samples in a pool of " + evaluators);
    }
    if (evaluations.isEmpty()) {
      return Double.NaN;
    }
    int busiest = counts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    return busiest / ((double) evaluations.size() / evaluators);
  }
}
