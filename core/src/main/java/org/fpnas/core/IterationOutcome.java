package org.fpnas.core;

import java.util.Arrays;
import java.util.Objects;
import org.fpnas.core.space.Architecture;

/**
 * What one update produced: the next state, the weights it used and statistics of the iteration,
 * for the aggregator to publish and for replay to check.
 *
 * @param next the state after the update (its distribution, K, done, stop reason)
 * @param importanceWeights PARSEC weights ω_k by position in the results sorted by index
 * @param costWeights FP-NAS cost weights v_k by the same positions (all 0 when cost is off or no
 *     sample is over the target)
 * @param indices the sample indices of the results, sorted
 * @param effectiveSampleSize {@code 1 / Σ ω_k²} of the importance weights ω (not ω')
 * @param expectedCost the mean cost of the results
 * @param meanLogLikelihood the mean log-likelihood of the results
 * @param maxLogLikelihood the largest log-likelihood of the results
 * @param samplesUsed how many results the update used
 * @param mode the most likely architecture of the next distribution
 */
public record IterationOutcome(
    SearchState next,
    double[] importanceWeights,
    double[] costWeights,
    int[] indices,
    double effectiveSampleSize,
    double expectedCost,
    double meanLogLikelihood,
    double maxLogLikelihood,
    int samplesUsed,
    Architecture mode) {

  /** Copies the arrays. */
  public IterationOutcome {
    Objects.requireNonNull(next, "next");
    Objects.requireNonNull(mode, "mode");
    importanceWeights = importanceWeights.clone();
    costWeights = costWeights.clone();
    indices = indices.clone();
  }

  @Override
  public double[] importanceWeights() {
    return importanceWeights.clone();
  }

  @Override
  public double[] costWeights() {
    return costWeights.clone();
  }

  @Override
  public int[] indices() {
    return indices.clone();
  }

  /** The entropy of the next distribution, in nats. */
  public double entropy() {
    return next.distribution().entropy();
  }

  /** K for the next iteration. */
  public int nextSampleCount() {
    return next.sampleCount();
  }

  /** Whether the search stopped with this update. */
  public boolean done() {
    return next.done();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IterationOutcome other
        && next.equals(other.next)
        && Arrays.equals(importanceWeights, other.importanceWeights)
        && Arrays.equals(costWeights, other.costWeights)
        && Arrays.equals(indices, other.indices)
        && Double.compare(effectiveSampleSize, other.effectiveSampleSize) == 0
        && Double.compare(expectedCost, other.expectedCost) == 0
        && Double.compare(meanLogLikelihood, other.meanLogLikelihood) == 0
        && Double.compare(maxLogLikelihood, other.maxLogLikelihood) == 0
        && samplesUsed == other.samplesUsed
        && mode.equals(other.mode);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        next,
        Arrays.hashCode(importanceWeights),
        Arrays.hashCode(costWeights),
        Arrays.hashCode(indices),
        effectiveSampleSize,
        expectedCost,
        meanLogLikelihood,
        maxLogLikelihood,
        samplesUsed,
        mode);
  }

  @Override
  public String toString() {
    return "IterationOutcome[iteration "
        + next.iteration()
        + ", samples "
        + samplesUsed
        + ", ESS "
        + effectiveSampleSize
        + ", mean ll "
        + meanLogLikelihood
        + ", entropy "
        + entropy()
        + ", next K "
        + next.sampleCount()
        + ", mode "
        + mode
        + (next.done() ? ", done: " + next.stopReason() : "")
        + "]";
  }
}
