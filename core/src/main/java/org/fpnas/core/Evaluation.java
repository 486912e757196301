package org.fpnas.core;

import java.util.Objects;
import org.fpnas.core.space.Architecture;

/**
 * One successful evaluation of the current iteration: sample {@code index}, its architecture, the
 * summed validation log-likelihood and the cost.
 *
 * @param index the sample's index k within its iteration
 * @param architecture the evaluated architecture
 * @param logLikelihood log p(y_val | X_val, w, A_k), summed over the validation batch
 * @param cost C(A_k), e.g. multiply-adds; not negative
 */
public record Evaluation(int index, Architecture architecture, double logLikelihood, double cost) {
  /** Requires an architecture (numbers are checked by the update, which names the index). */
  public Evaluation {
    Objects.requireNonNull(architecture, "architecture");
  }
}
