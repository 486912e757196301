package org.fpnas.bench.pipeline;

/**
 * The wall time a search needs in the pipeline when evaluation dominates. Iterations are
 * synchronous (iteration t+1 is sampled from the update of iteration t), so with N evaluators an
 * iteration of K samples takes {@code ceil(K / N)} evaluation times at best, however many
 * evaluators wait idle:
 *
 * <pre>  wall = Σ_t ( ceil(K_t / N) · evalTime + controlTime )</pre>
 *
 * {@code controlTime} is the latency from an iteration's last result to the next iteration's first
 * sample (0 for the evaluation-bound floor).
 */
public final class PipelineTimeModel {
  private PipelineTimeModel() {}

  /** The evaluation-bound floor: {@code Σ_t ceil(K_t / N) · evalMs}. */
  public static double wallMs(int[] sampleCounts, int evaluators, double evalMs) {
    return wallMs(sampleCounts, evaluators, evalMs, 0);
  }

  /**
   * {@code Σ_t (ceil(K_t / N) · evalMs + controlMs)}.
   *
   * @throws IllegalArgumentException for fewer than one evaluator, a K below 1, or a negative time
   */
  public static double wallMs(int[] sampleCounts, int evaluators, double evalMs, double controlMs) {
    if (evaluators < 1) {
      throw new IllegalArgumentException(
          "the model needs at least one evaluator, got " + evaluators);
    }
    if (!(evalMs >= 0) || !(controlMs >= 0)) {
      throw new IllegalArgumentException(
          "evaluation and control times must be >= 0, got " + evalMs + " and " + controlMs);
    }
    double total = 0;
    for (int k : sampleCounts) {
      if (k < 1) {
        throw new IllegalArgumentException("every iteration has at least one sample, got K = " + k);
      }
      total += ((k + evaluators - 1) / evaluators) * evalMs + controlMs;
    }
    return total;
  }

  /** Σ K_t: the evaluators' busy time in units of one evaluation. */
  public static long samples(int[] sampleCounts) {
    long total = 0;
    for (int k : sampleCounts) {
      total += k;
    }
    return total;
  }
}
