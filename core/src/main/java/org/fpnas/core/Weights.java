package org.fpnas.core;

import org.fpnas.core.space.Architecture;

/** The weights of one update (docs/algorithm.md §4, steps 4 to 6), summed in index order. */
final class Weights {
  private Weights() {}

  /**
   * PARSEC importance weights {@code ω_k = softmax(ℓ / τ)_k}, in log space: the largest scaled
   * log-likelihood is subtracted before exponentiating.
   */
  static double[] importance(double[] logLikelihoods, double temperature, int[] indices) {
    int n = logLikelihoods.length;
    double[] scaled = new double[n];
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < n; k++) {
      scaled[k] = logLikelihoods[k] / temperature;
      if (!Double.isFinite(scaled[k])) {
        // An infinite ℓ/τ makes the softmax ∞ − ∞ = NaN: the setting is at fault, not the data.
        throw new IllegalArgumentException(
            "hyperparameter 'temperature' ("
                + temperature
                + ") is too small for the log-likelihood "
                + logLikelihoods[k]
                + " of sample "
                + indices[k]
                + ": l / temperature overflows; raise it");
      }
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
   * Fitness-shaped weights from the ranks alone (as in natural evolution strategies): {@code u_r =
   * max(0, ln(n/2 + 1) − ln r)} for rank r = 1 (best) … n, normalised to sum 1. Ties are ranked by
   * index (the results are sorted by index), so the weights are a pure function of the ordering.
   * Invariant to any increasing transformation of ℓ, hence to the log-likelihood's scale.
   */
  static double[] rank(double[] logLikelihoods) {
    return rank(logLikelihoods, new double[logLikelihoods.length]);
  }

  /**
   * Rank weights of an order that puts feasibility first (Deb's rule for constrained evolution):
   * samples by their excess over the cost target, smallest first (all within it tie at 0), then by
   * log-likelihood. Over a target the likelihood no longer counts: the less over, the better, so
   * the distribution moves into the target without a weight to tune, and within it the likelihood
   * alone decides.
   */
  static double[] rank(double[] logLikelihoods, double[] excess) {
    int n = logLikelihoods.length;
    Integer[] order = new Integer[n];
    for (int k = 0; k < n; k++) {
      order[k] = k;
    }
    // Stable sort: equal keys keep index order.
    java.util.Arrays.sort(
        order,
        (a, b) -> {
          int byExcess = Double.compare(excess[a], excess[b]);
          return byExcess != 0 ? byExcess : Double.compare(logLikelihoods[b], logLikelihoods[a]);
        });
    double top = StrictMath.log(n / 2.0 + 1.0);
    double[] w = new double[n];
    double sum = 0;
    for (int r = 0; r < n; r++) {
      double u = Math.max(0.0, top - StrictMath.log(r + 1.0));
      w[order[r]] = u;
      sum += u;
    }
    for (int k = 0; k < n; k++) {
      w[k] /= sum;
    }
    return w;
  }

  /**
   * Softmax weights whose effective sample size {@code 1/Σω²} is {@code fraction · n} (at least 1):
   * the inverse temperature is found by bisection, so the sharpness of the weights no longer
   * depends on the scale of ℓ (summed over a batch of 64 or 10,000 images, in nats per image or per
   * batch). When all ℓ are equal the weights are uniform.
   */
  static double[] targetEss(double[] logLikelihoods, double fraction) {
    int n = logLikelihoods.length;
    double max = Double.NEGATIVE_INFINITY;
    double min = Double.POSITIVE_INFINITY;
    for (double l : logLikelihoods) {
      max = Math.max(max, l);
      min = Math.min(min, l);
    }
    double[] uniform = new double[n];
    java.util.Arrays.fill(uniform, 1.0 / n);
    double target = Math.max(1.0, fraction * n);
    if (max == min || target >= n) {
      return uniform;
    }
    // ESS falls from n (β = 0) to the number of ties at the maximum (β → ∞), monotonically.
    double lo = 0;
    double hi = 1.0 / (max - min);
    for (int i = 0; i < 200 && ess(logLikelihoods, max, hi) > target; i++) {
      hi *= 2;
    }
    for (int i = 0; i < 100; i++) {
      double mid = 0.5 * (lo + hi);
      if (ess(logLikelihoods, max, mid) > target) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return softmax(logLikelihoods, max, hi);
  }

  private static double ess(double[] logLikelihoods, double max, double inverseTemperature) {
    double[] w = softmax(logLikelihoods, max, inverseTemperature);
    double squares = 0;
    for (double x : w) {
      squares += x * x;
    }
    return 1.0 / squares;
  }

  private static double[] softmax(double[] logLikelihoods, double max, double inverseTemperature) {
    int n = logLikelihoods.length;
    double[] w = new double[n];
    double sum = 0;
    for (int k = 0; k < n; k++) {
      w[k] = StrictMath.exp((logLikelihoods[k] - max) * inverseTemperature);
      sum += w[k];
    }
    for (int k = 0; k < n; k++) {
      w[k] /= sum;
    }
    return w;
  }

  /**
   * FP-NAS cost weights {@code v_k = h_k / Σ_j h_j} with the hinge {@code h_k = max(0, c_k / target
   * − 1)}; all zero when no sample is over the target.
   */
  static double[] cost(double[] costs, double target, int[] indices) {
    return cost(costs, target, indices, true);
  }

  /**
   * Cost weights from the hinge {@code h_k = max(0, c_k / target − 1)}: normalised ({@code h_k /
   * Σ_j h_j}, all zero when none is over) or linear ({@code h_k / n}). The normalised form gives a
   * sample barely over the target the whole push of β as soon as it is the only one over; the
   * linear one pushes in proportion to how far over each sample is.
   */
  static double[] cost(double[] costs, double target, int[] indices, boolean normalised) {
    int n = costs.length;
    double[] hinge = hinge(costs, target, indices);
    double sum = 0;
    for (int k = 0; k < n; k++) {
      sum += hinge[k];
    }
    double divisor = normalised ? sum : n;
    if (divisor > 0) {
      for (int k = 0; k < n; k++) {
        hinge[k] /= divisor;
      }
    }
    return hinge;
  }

  /**
   * The hinge {@code h_k = max(0, c_k / target − 1)} of every sample.
   *
   * @throws IllegalArgumentException naming costTarget when the hinges overflow
   */
  static double[] hinge(double[] costs, double target, int[] indices) {
    int n = costs.length;
    double[] hinge = new double[n];
    double sum = 0;
    for (int k = 0; k < n; k++) {
      hinge[k] = Math.max(0.0, costs[k] / target - 1.0);
      sum += hinge[k];
      if (!Double.isFinite(sum)) {
        // One infinite hinge makes the normalisation ∞ / ∞ = NaN.
        throw new IllegalArgumentException(
            "hyperparameter 'costTarget' ("
                + target
                + ") is too small for the cost "
                + costs[k]
                + " of sample "
                + indices[k]
                + ": the hinge cost / costTarget overflows; raise it");
      }
    }
    return hinge;
  }

  /**
   * The score-function gradient {@code g = Σ_k w_k ∇ log p(A_k | α)}: per softmax block, {@code ∇_θ
   * log softmax(θ)[c] = onehot(c) − softmax(θ)}, so {@code g = Σ_k w_k onehot(c_k) − (Σ_k w_k) ·
   * p}. With {@code batchMean}, the expectation {@code p} is replaced by the batch's own mean
   * one-hot {@code (1/n) Σ_k onehot(c_k)}: the same expected direction (each sample is drawn from
   * p), without the part that only says which choices this batch happened to draw. Same shape as
   * the logits.
   */
  static double[][] gradient(
      Distribution distribution, Architecture[] samples, double[] weights, boolean batchMean) {
    Layout layout = distribution.layout();
    int layers = layout.sizes.length;
    double[][] g = new double[layers][];
    for (int l = 0; l < layers; l++) {
      g[l] = new double[layout.sizes[l]];
    }
    double total = 0;
    for (int k = 0; k < samples.length; k++) {
      total += weights[k];
    }
    double baseline = batchMean ? total / samples.length : 0;
    for (int k = 0; k < samples.length; k++) {
      double w = weights[k] - baseline;
      for (int l = 0; l < layers; l++) {
        if (layout.phase == Phase.FACTORIZED) {
          for (int m = 0; m < samples[k].variableCount(l); m++) {
            g[l][layout.offsets[l][m] + samples[k].choice(l, m)] += w;
          }
        } else {
          g[l][layout.jointIndex(l, samples[k])] += w;
        }
      }
    }
    if (!batchMean) {
      for (int l = 0; l < layers; l++) {
        double[] p = distribution.probs(l);
        for (int i = 0; i < g[l].length; i++) {
          g[l][i] -= total * p[i];
        }
      }
    }
    return g;
  }
}
