package org.fpnas.core;

import org.fpnas.core.space.Architecture;

/** Scores one sampled architecture for the in-process search: its log-likelihood and cost. */
@FunctionalInterface
public interface Scorer {
  /**
   * Scores sample {@code index} of iteration {@code iteration}.
   *
   * @return the summed validation log-likelihood and the cost of the architecture
   */
  Score score(int iteration, int index, Architecture architecture);

  /**
   * A score: summed log-likelihood (finite) and cost (finite, not negative).
   *
   * @param logLikelihood the summed validation log-likelihood
   * @param cost the architecture's cost
   */
  record Score(double logLikelihood, double cost) {}
}
