package org.fpnas.evaluator.api;

import java.util.Map;

/**
 * What an evaluation measured: the summed validation log-likelihood, the cost and further metrics.
 */
public record Measurement(double logLikelihood, double cost, Map<String, Double> metrics) {
  public Measurement {
    metrics = Map.copyOf(metrics);
  }

  public Measurement(double logLikelihood, double cost) {
    this(logLikelihood, cost, Map.of());
  }
}
