package org.fpnas.core;

import java.util.Arrays;
import java.util.Objects;

/**
 * Everything the update needs to go on from one iteration, and everything the aggregator persists
 * and publishes: the distribution, Adam's moments and step, the iteration whose samples are drawn
 * from this distribution (0 = initial), K for that iteration, how long the mode has held, and
 * whether the search is done. Immutable.
 *
 * <p>{@link #restore} rebuilds a state from a record of all its parts exactly (a published event);
 * {@link #forked}, {@link #withSampleCount} and {@link #carriedForward} derive one state from
 * another.
 */
public final class SearchState {
  private final Distribution distribution;
  private final double[][] firstMoment;
  private final double[][] secondMoment;
  private final int adamStep;
  private final int iteration;
  private final int sampleCount;
  private final int modeStableIterations;
  private final boolean done;
  private final StopReason stopReason;

  private SearchState(
      Distribution distribution,
      double[][] firstMoment,
      double[][] secondMoment,
      int adamStep,
      int iteration,
      int sampleCount,
      int modeStableIterations,
      boolean done,
      StopReason stopReason) {
    this.distribution = distribution;
    this.firstMoment = firstMoment;
    this.secondMoment = secondMoment;
    this.adamStep = adamStep;
    this.iteration = iteration;
    this.sampleCount = sampleCount;
    this.modeStableIterations = modeStableIterations;
    this.done = done;
    this.stopReason = stopReason;
  }

  /**
   * A state from all its parts (arrays copied).
   *
   * @param firstMoment Adam first moments, same shape as the logits
   * @param secondMoment Adam second moments, same shape, not negative
   * @param adamStep Adam steps taken in the current phase (0 after a phase switch)
   * @param iteration the iteration whose samples are drawn from this distribution
   * @param sampleCount K for that iteration, at least 1
   * @param modeStableIterations consecutive updates that left the mode unchanged
   * @param done true once the search stopped
   * @param stopReason why it stopped when done; null while running
   * @throws IllegalArgumentException when a part does not fit
   */
  public static SearchState restore(
      Distribution distribution,
      double[][] firstMoment,
      double[][] secondMoment,
      int adamStep,
      int iteration,
      int sampleCount,
      int modeStableIterations,
      boolean done,
      StopReason stopReason) {
    Objects.requireNonNull(distribution, "distribution");
    Layout layout = distribution.layout();
    double[][] m =
        Distribution.checkedCopy(distribution.space(), layout, firstMoment, "Adam first moments");
    double[][] v =
        Distribution.checkedCopy(distribution.space(), layout, secondMoment, "Adam second moments");
    for (double[] layer : v) {
      for (double value : layer) {
        if (value < 0) {
          throw new IllegalArgumentException(
              "Adam second moments must not be negative, got " + value);
        }
      }
    }
    if (adamStep < 0) {
      throw new IllegalArgumentException("adamStep must not be negative, got " + adamStep);
    }
    if (iteration < 0) {
      throw new IllegalArgumentException("iteration must not be negative, got " + iteration);
    }
    if (sampleCount < 1) {
      throw new IllegalArgumentException("sampleCount must be at least 1, got " + sampleCount);
    }
    if (modeStableIterations < 0) {
      throw new IllegalArgumentException(
          "modeStableIterations must not be negative, got " + modeStableIterations);
    }
    if (done != (stopReason != null)) {
      throw new IllegalArgumentException(
          done
              ? "a done state needs a stop reason"
              : "a running state has no stop reason, got '" + stopReason + "'");
    }
    return new SearchState(
        distribution,
        m,
        v,
        adamStep,
        iteration,
        sampleCount,
        modeStableIterations,
        done,
        stopReason);
  }

  /**
   * A fork's starting point: this state's logits, Adam moments and iteration, with its own K, the
   * mode's stability counted afresh, running.
   */
  public SearchState forked(int sampleCount) {
    return restore(
        distribution, firstMoment, secondMoment, adamStep, iteration, sampleCount, 0, false, null);
  }

  /** This state with another K for its iteration (a what-if replays the recorded K). */
  public SearchState withSampleCount(int sampleCount) {
    return restore(
        distribution,
        firstMoment,
        secondMoment,
        adamStep,
        iteration,
        sampleCount,
        modeStableIterations,
        done,
        stopReason);
  }

  /**
   * The next iteration without an update (no result to learn from): the same distribution and K,
   * done once {@code maxIterations} is reached.
   */
  public SearchState carriedForward(int maxIterations) {
    int next = iteration + 1;
    boolean last = next >= maxIterations;
    return restore(
        distribution,
        firstMoment,
        secondMoment,
        adamStep,
        next,
        sampleCount,
        modeStableIterations,
        last,
        last ? StopReason.MAX_ITERATIONS : null);
  }

  /** Trusted construction from arrays nobody else holds (the update's fresh arrays). */
  static SearchState wrap(
      Distribution distribution,
      double[][] firstMoment,
      double[][] secondMoment,
      int adamStep,
      int iteration,
      int sampleCount,
      int modeStableIterations,
      StopReason stopReason) {
    return new SearchState(
        distribution,
        firstMoment,
        secondMoment,
        adamStep,
        iteration,
        sampleCount,
        modeStableIterations,
        stopReason != null,
        stopReason);
  }

  /** Zero-filled moments shaped like the distribution's logits. */
  static double[][] zeros(Distribution distribution) {
    double[][] zeros = new double[distribution.space().layerCount()][];
    for (int l = 0; l < zeros.length; l++) {
      zeros[l] = new double[distribution.layout().sizes[l]];
    }
    return zeros;
  }

  /** The distribution the samples of {@link #iteration()} are drawn from. */
  public Distribution distribution() {
    return distribution;
  }

  /** A copy of Adam's first moments. */
  public double[][] firstMoment() {
    return Distribution.deepCopy(firstMoment);
  }

  /** A copy of Adam's second moments. */
  public double[][] secondMoment() {
    return Distribution.deepCopy(secondMoment);
  }

  /** Adam steps taken in the current phase. */
  public int adamStep() {
    return adamStep;
  }

  /** The iteration whose samples are drawn from this distribution (0 = initial). */
  public int iteration() {
    return iteration;
  }

  /** K: how many samples to draw for this iteration. */
  public int sampleCount() {
    return sampleCount;
  }

  /** Consecutive updates that left the mode unchanged. */
  public int modeStableIterations() {
    return modeStableIterations;
  }

  /** True once the search has stopped. */
  public boolean done() {
    return done;
  }

  /** Why the search stopped, or null while it runs. */
  public StopReason stopReason() {
    return stopReason;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SearchState other
        && adamStep == other.adamStep
        && iteration == other.iteration
        && sampleCount == other.sampleCount
        && modeStableIterations == other.modeStableIterations
        && done == other.done
        && Objects.equals(stopReason, other.stopReason)
        && distribution.equals(other.distribution)
        && Arrays.deepEquals(firstMoment, other.firstMoment)
        && Arrays.deepEquals(secondMoment, other.secondMoment);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        distribution,
        adamStep,
        iteration,
        sampleCount,
        modeStableIterations,
        done,
        stopReason,
        Arrays.deepHashCode(firstMoment),
        Arrays.deepHashCode(secondMoment));
  }

  @Override
  public String toString() {
    return "SearchState[iteration "
        + iteration
        + ", K "
        + sampleCount
        + ", "
        + distribution
        + (done ? ", done: " + stopReason : "")
        + "]";
  }
}
