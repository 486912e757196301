package org.fpnas.app;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.EvaluationResult;

/**
 * Throughput of an elastic run by phase, each phase being the iterations whose results came from
 * exactly as many evaluators as the phase has, less the first of them (it pays the rebalance and
 * the joiners' first, cold evaluations): iterations during which joining evaluators were still
 * starting, or leaving ones still finishing, belong to no phase, so that a slow JVM start is
 * reported as the phase's delay after the change instead of lowering its rate. Within a phase, each
 * iteration splits into its evaluation (first sample started to last result) and the control loop
 * (last result to the next iteration's first sample starting), and the rate is also given as a
 * share of the synchronous bound, {@code ceil(K / N)} evaluations per iteration plus that control
 * loop.
 */
final class ElasticPhases {
  private ElasticPhases() {}

  /**
   * One line per phase of {@code sizes} (evaluators in each phase, e.g. 1, 4, 1), with the ideal
   * {@code size / sampleMs} samples per second; {@code changesAtMs} are when the pool was told to
   * change, for the delays until a phase began.
   */
  static String report(
      List<DistributionUpdate> published,
      List<EvaluationResult> results,
      int[] sizes,
      long[] changesAtMs,
      long sampleMs) {
    int iterations = published.size() - 1;
    List<Set<String>> evaluators = new ArrayList<>();
    long[] firstStart = new long[iterations];
    long[] lastEnd = new long[iterations];
    int[] samples = new int[iterations];
    for (int i = 0; i < iterations; i++) {
      evaluators.add(new HashSet<>());
      firstStart[i] = Long.MAX_VALUE;
    }
    for (EvaluationResult r : results) {
      int i = r.getIteration();
      if (i < 0 || i >= iterations) {
        continue;
      }
      evaluators.get(i).add(r.getEvaluatorId());
      firstStart[i] = Math.min(firstStart[i], r.getFinishedAtMs() - r.getDurationMs());
      lastEnd[i] = Math.max(lastEnd[i], r.getFinishedAtMs());
      samples[i]++;
    }
    StringBuilder out = new StringBuilder();
    int from = 1; // iteration 0 also pays the search's start
    for (int p = 0; p < sizes.length; p++) {
      int size = sizes[p];
      while (from < iterations && evaluators.get(from).size() != size) {
        from++;
      }
      if (p > 0) {
        // The first iteration after a change pays the rebalance and the joiners' cold start.
        from++;
      }
      int to = from;
      while (to < iterations && evaluators.get(to).size() == size) {
        to++;
      }
      if (to - from < 1) {
        out.append(String.format(Locale.ROOT, "%n  phase %d (%d evaluators): none", p + 1, size));
        continue;
      }
      long start = published.get(from).getCreatedAtMs();
      long end = published.get(to).getCreatedAtMs();
      int n = 0;
      long evaluation = 0;
      long control = 0;
      long bound = 0;
      for (int i = from; i < to; i++) {
        n += samples[i];
        bound += (samples[i] + size - 1) / size * sampleMs;
        evaluation += lastEnd[i] - firstStart[i];
        control += (i + 1 < iterations ? firstStart[i + 1] : end) - lastEnd[i];
      }
      double rate = 1000.0 * n / Math.max(1, end - start);
      double ideal = 1000.0 * size / sampleMs;
      // The synchronous bound: ceil(K / N) evaluations per iteration plus the control loop.
      double synchronous = 1000.0 * n / Math.max(1, bound + control);
      out.append(
          String.format(
              Locale.ROOT,
              "%n  phase %d (%d evaluators): iterations %d-%d, %.1f samples/s of the ideal %.1f"
                  + " (%.0f%%); per iteration %d ms evaluating, %d ms control loop; %.0f%% of"
                  + " the synchronous bound with that control loop%s",
              p + 1,
              size,
              from,
              to - 1,
              rate,
              ideal,
              100 * rate / ideal,
              evaluation / (to - from),
              control / (to - from),
              100 * rate / synchronous,
              p == 0 || p - 1 >= changesAtMs.length
                  ? ""
                  : String.format(
                      Locale.ROOT, "; began %d ms after the change", start - changesAtMs[p - 1])));
      from = to;
    }
    return out.toString();
  }
}
