package org.fpnas.bench.quality;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fpnas.bench.pipeline.PipelineTimeModel;
import org.fpnas.core.Hyperparameters;
import org.fpnas.core.InProcessSearch;
import org.fpnas.core.Phase;
import org.fpnas.core.landscape.Landscape;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.SearchSpace;

/**
 * One search of the in-process reference loop, recorded after every update: the K it used, the
 * regret of the new mode, the regret expected under the new distribution, the importance weights'
 * effective sample size, and the loop's own compute time so far (sampling, scoring on the
 * landscape, update). Regrets are computed outside the timed part.
 */
public final class Trajectory {
  private final int[] sampleCounts;
  private final double[] regrets;
  private final long[] elapsedNanos;
  private final double[] expectedRegrets;
  private final double[] effectiveSampleSizes;
  private final int jointFrom;

  /**
   * @param sampleCounts K of update i
   * @param regrets regret of the mode after update i
   * @param elapsedNanos compute time from the start through update i (not decreasing)
   */
  public Trajectory(int[] sampleCounts, double[] regrets, long[] elapsedNanos) {
    this(sampleCounts, regrets, elapsedNanos, nans(regrets.length), nans(regrets.length));
  }

  /**
   * @param expectedRegrets regret expected under the distribution after update i
   * @param effectiveSampleSizes the importance weights' effective sample size in update i
   */
  public Trajectory(
      int[] sampleCounts,
      double[] regrets,
      long[] elapsedNanos,
      double[] expectedRegrets,
      double[] effectiveSampleSizes) {
    this(sampleCounts, regrets, elapsedNanos, expectedRegrets, effectiveSampleSizes, -1);
  }

  private Trajectory(
      int[] sampleCounts,
      double[] regrets,
      long[] elapsedNanos,
      double[] expectedRegrets,
      double[] effectiveSampleSizes,
      int jointFrom) {
    if (sampleCounts.length != regrets.length
        || regrets.length != elapsedNanos.length
        || regrets.length != expectedRegrets.length
        || regrets.length != effectiveSampleSizes.length) {
      throw new IllegalArgumentException(
          "a trajectory needs one K, regret and time per update, got "
              + sampleCounts.length
              + ", "
              + regrets.length
              + " and "
              + elapsedNanos.length);
    }
    this.sampleCounts = sampleCounts.clone();
    this.regrets = regrets.clone();
    this.elapsedNanos = elapsedNanos.clone();
    this.expectedRegrets = expectedRegrets.clone();
    this.effectiveSampleSizes = effectiveSampleSizes.clone();
    this.jointFrom = jointFrom;
  }

  private static double[] nans(int n) {
    double[] out = new double[n];
    Arrays.fill(out, Double.NaN);
    return out;
  }

  /** Runs the in-process search to its end and records it. */
  public static Trajectory run(SearchSpace space, Hyperparameters hp, Landscape landscape) {
    List<Integer> ks = new ArrayList<>();
    List<Architecture> modes = new ArrayList<>();
    List<Long> times = new ArrayList<>();
    List<Double> expected = new ArrayList<>();
    List<Double> ess = new ArrayList<>();
    long start = System.nanoTime();
    long[] untimed = {0};
    int[] jointFrom = {hp.factorizedIterations() == 0 ? 0 : -1};
    new InProcessSearch(space, hp, landscape.asScorer())
        .listener(
            o -> {
              long now = System.nanoTime();
              times.add(now - start - untimed[0]);
              ks.add(o.samplesUsed());
              modes.add(o.mode());
              ess.add(o.effectiveSampleSize());
              expected.add(landscape.expectedRegret(o.next().distribution()));
              if (jointFrom[0] < 0 && o.next().distribution().phase() == Phase.JOINT) {
                jointFrom[0] = ks.size();
              }
              untimed[0] += System.nanoTime() - now;
            })
        .run();
    double[] regrets = new double[modes.size()];
    for (int i = 0; i < regrets.length; i++) {
      regrets[i] = landscape.regret(modes.get(i));
    }
    return new Trajectory(
        ks.stream().mapToInt(Integer::intValue).toArray(),
        regrets,
        times.stream().mapToLong(Long::longValue).toArray(),
        expected.stream().mapToDouble(Double::doubleValue).toArray(),
        ess.stream().mapToDouble(Double::doubleValue).toArray(),
        jointFrom[0]);
  }

  /**
   * Iterations a search needs so that K ≥ {@code smallestK} per update spends {@code sampleBudget}.
   */
  public static int iterationsFor(long sampleBudget, int smallestK) {
    return (int) Math.min(Integer.MAX_VALUE, sampleBudget / smallestK + 1);
  }

  /**
   * The number of updates after which the distribution was joint (0: joint from the start); -1 when
   * it stayed factorized. Known only for a trajectory that {@link #run} recorded.
   */
  public int jointFrom() {
    return jointFrom;
  }

  /** The number of updates recorded. */
  public int updates() {
    return sampleCounts.length;
  }

  /**
   * The search cut where {@code sampleBudget} samples are spent (the updates whose samples fit),
   * measured against {@code targetRegret}: the target counts as reached at the first update from
   * which the mode stays within the target until the budget ends, so a mode that passes the best by
   * luck and leaves it again does not count.
   *
   * @throws IllegalArgumentException when not even the first update fits the budget
   */
  public Outcome within(long sampleBudget, double targetRegret) {
    int updates = 0;
    long spent = 0;
    while (updates < sampleCounts.length && spent + sampleCounts[updates] <= sampleBudget) {
      spent += sampleCounts[updates];
      updates++;
    }
    if (updates == 0) {
      throw new IllegalArgumentException(
          "a budget of "
              + sampleBudget
              + " samples does not cover the first update ("
              + (sampleCounts.length == 0 ? "none recorded" : sampleCounts[0] + " samples")
              + ")");
    }
    int reach = -1;
    for (int i = updates - 1; i >= 0 && regrets[i] <= targetRegret; i--) {
      reach = i;
    }
    int[] used = Arrays.copyOf(sampleCounts, updates);
    double finalExpected = expectedRegrets[updates - 1];
    double meanEss = Arrays.stream(effectiveSampleSizes, 0, updates).average().orElse(Double.NaN);
    if (reach < 0) {
      return new Outcome(
          used, regrets[updates - 1], -1, Double.POSITIVE_INFINITY, finalExpected, meanEss);
    }
    return new Outcome(
        used, regrets[updates - 1], reach + 1, elapsedNanos[reach] / 1e6, finalExpected, meanEss);
  }

  /** The whole search, however many samples it spent (an equal schedule of iterations). */
  public Outcome whole(double targetRegret) {
    return within(Long.MAX_VALUE, targetRegret);
  }

  /**
   * A search within its budget.
   *
   * @param sampleCounts K of every update within the budget
   * @param finalRegret the regret of the mode when the budget is spent
   * @param iterationsToTarget updates until the target held for good; -1 when it never did
   * @param computeMsToTarget the loop's compute time until then; infinite when never
   * @param finalExpectedRegret the regret expected under the distribution when the budget is spent
   * @param meanEffectiveSampleSize the weights' effective sample size, averaged over the updates
   */
  public record Outcome(
      int[] sampleCounts,
      double finalRegret,
      int iterationsToTarget,
      double computeMsToTarget,
      double finalExpectedRegret,
      double meanEffectiveSampleSize) {
    public Outcome {
      sampleCounts = sampleCounts.clone();
    }

    @Override
    public int[] sampleCounts() {
      return sampleCounts.clone();
    }

    /** Whether the target was reached (and held) within the budget. */
    public boolean reached() {
      return iterationsToTarget > 0;
    }

    /** K of the updates until the target; empty when never reached. */
    public int[] sampleCountsToTarget() {
      return reached() ? Arrays.copyOf(sampleCounts, iterationsToTarget) : new int[0];
    }

    /** Samples evaluated until the target; infinite when never reached. */
    public double samplesToTarget() {
      return reached()
          ? PipelineTimeModel.samples(sampleCountsToTarget())
          : Double.POSITIVE_INFINITY;
    }

    /** Samples evaluated within the budget. */
    public long samples() {
      return PipelineTimeModel.samples(sampleCounts);
    }

    /**
     * The pipeline's evaluation-bound wall time until the target (ms); infinite when never reached.
     */
    public double modelMsToTarget(int evaluators, double evalMs) {
      return reached()
          ? PipelineTimeModel.wallMs(sampleCountsToTarget(), evaluators, evalMs)
          : Double.POSITIVE_INFINITY;
    }

    /** Mean K within the budget. */
    public double meanK() {
      return (double) samples() / sampleCounts.length;
    }
  }
}
