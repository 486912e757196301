package org.fpnas.core;

/** The weights of one update (docs/algorithm.md §4, steps 4 to 6), summed in index order. */
final class Weights {
  private Weights() {}

  /**
   * PARSEC importance weights {@code ω_k = softmax(ℓ / τ)_k}, in log space: the largest
   * scaled log-likelihood is subtracted before exponentiating.
   */
  static double[] importance(double[] logLikelihoods, double temperature) {
    int n = logLikelihoods.length;
    double[] scaled = new double[n];
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < n; k++) {
      scaled[k] = logLikelihoods[k] / temperature;
      max = Math.max(max, scaled[k]);
    }
    double sum = 0;
    for (int k = 0; k < n; k++) {
      scaled[k] = StrictMath.exp(scaled[k] - max);
      sum += scaled[k];
    }
    for (int k = 0; k < n; k++) {
      scaled[k] /= sum;
    }
    return scaled;
  }

  /**
   * FP-NAS cost weights {@code v_k = h_k / Σ_j h_j} with the hinge
   * {@code h_k = max(0, c_k / target − 1)}; all zero when no sample is over the target.
   */
  static double[] cost(double[] costs, double target) {
    int n = costs.length;
    double[] hinge = new double[n];
    double sum = 0;
    for (int k = 0; k < n; k++) {
      hinge[k] = Math.max(0.0, costs[k] / target - 1.0);
      sum += hinge[k];
    }
    if (sum > 0) {
      for (int k = 0; k < n; k++) {
        hinge[k] /= sum;
      }
    }
    return hinge;
  }

  /**
   * The score-function gradient {@code g = Σ_k w_k ∇ log p(A_k | α)}: per softmax block,
   * {@code ∇_θ log softmax(θ)[c] = onehot(c) − softmax(θ)}, so
   * {@code g = Σ_k w_k onehot(c_k) − (Σ_k w_k) · p}. Same shape as the logits.
   */
  static double[][] gradient(Distribution distribution, Architecture[] samples,
      double[] weights) {
    Layout layout = distribution.layout();
    int layers = layout.sizes.length;
    double[][] g = new double[layers][];
    for (int l = 0; l < layers; l++) {
      g[l] = new double[layout.sizes[l]];
    }
    double total = 0;
    for (int k = 0; k < samples.length; k++) {
      double w = weights[k];
      total += w;
      for (int l = 0; l < layers; l++) {
        int[] choices = samples[k].layerChoices(l);
        if (layout.phase == Phase.FACTORIZED) {
          for (int m = 0; m < choices.length; m++) {
            g[l][layout.offsets[l][m] + choices[m]] += w;
          }
        } else {
          g[l][layout.jointIndex(l, choices)] += w;
        }
      }
    }
    for (int l = 0; l < layers; l++) {
      double[] p = distribution.probs(l);
      for (int i = 0; i < g[l].length; i++) {
        g[l][i] -= total * p[i];
      }
    }
    return g;
  }
}
