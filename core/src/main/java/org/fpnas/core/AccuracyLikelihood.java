package org.fpnas.core;

/**
 * Turns a recorded accuracy into the summed log-likelihood of a validation batch, the signal the
 * FP-NAS update expects (docs/algorithm.md §4: ℓ = log p(y_val | X_val, w, A), summed over a
 * batch).
 *
 * <p>A table records how often a network was right, not its probabilities, so fpnas reads an
 * accuracy {@code p} as the classifier whose confidence equals its accuracy: it gives probability
 * {@code p} to its answer and spreads {@code 1 − p} evenly over the other {@code C − 1} classes. On
 * a batch of {@code B} images, {@code pB} of them right, the summed log-likelihood is
 *
 * <pre>ℓ = B · (p · ln p + (1 − p) · ln((1 − p) / (C − 1)))</pre>
 *
 * (with {@code 0 · ln 0 = 0}). It increases with {@code p} above chance ({@code 1/C}) and equals
 * {@code B} times the negative cross-entropy of that calibrated classifier, so it sits on the scale
 * of the DJL evaluator's summed log-likelihoods: for B = 250 and C = 10, 94% gives −90 nats and one
 * point of accuracy near 94% is worth about 12 nats.
 */
public final class AccuracyLikelihood {
  private final int classes;
  private final int batch;

  /**
   * @param classes C, at least 2
   * @param batch B, the images of the notional validation batch, at least 1
   */
  public AccuracyLikelihood(int classes, int batch) {
    if (classes < 2) {
      throw new IllegalArgumentException("classes must be at least 2, got " + classes);
    }
    if (batch < 1) {
      throw new IllegalArgumentException("the batch must hold at least 1 image, got " + batch);
    }
    this.classes = classes;
    this.batch = batch;
  }

  /** C. */
  public int classes() {
    return classes;
  }

  /** B. */
  public int batch() {
    return batch;
  }

  /**
   * ℓ for accuracy {@code p} in [0, 1].
   *
   * @throws IllegalArgumentException for p outside [0, 1]
   */
  public double logLikelihood(double p) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException("an accuracy must be in [0, 1], got " + p);
    }
    double right = p > 0 ? p * StrictMath.log(p) : 0.0;
    double wrong = p < 1 ? (1 - p) * StrictMath.log((1 - p) / (classes - 1)) : 0.0;
    return batch * (right + wrong);
  }
}
