package org.fpnas.core;

import java.util.Arrays;
import java.util.Objects;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.SearchSpace;

/**
 * A probability distribution over the architectures of a space, by layer-independent softmax
 * logits, with a version that increases by one per update. Immutable.
 *
 * <p>Logits per layer ({@link #logits()}[l]):
 *
 * <ul>
 *   <li>{@link Phase#FACTORIZED}: the logit vectors of the layer's variables, concatenated in
 *       variable order ({@code Σ_m |C[l][m]|} entries);
 *   <li>{@link Phase#JOINT}: one vector over the product of the layer's choice sets ({@code Π_m
 *       |C[l][m]|} entries), indexed in mixed radix with the LAST variable varying fastest: for
 *       choice counts (3, 2) the order is (0,0), (0,1), (1,0), (1,1), (2,0), (2,1).
 * </ul>
 *
 * All arithmetic uses {@link StrictMath} and fixed iteration orders, so equal inputs give
 * bit-identical results on every machine.
 */
public final class Distribution {
  private final SearchSpace space;
  private final Phase phase;
  private final long version;
  private final Layout layout;
  private final double[][] logits;
  private final double[][] probs;
  private final double[][] logProbs;
  private final double[][] cdf;
  private final double entropy;

  private Distribution(
      SearchSpace space, Phase phase, Layout layout, double[][] logits, long version) {
    this.space = space;
    this.phase = phase;
    this.layout = layout;
    this.logits = logits;
    this.version = version;
    int layers = logits.length;
    probs = new double[layers][];
    logProbs = new double[layers][];
    cdf = new double[layers][];
    double h = 0;
    for (int l = 0; l < layers; l++) {
      probs[l] = new double[logits[l].length];
      logProbs[l] = new double[logits[l].length];
      cdf[l] = new double[logits[l].length];
      for (int b = 0; b < layout.blockCount(l); b++) {
        h += softmax(l, layout.blockStart(l, b), layout.blockSize(l, b));
      }
    }
    this.entropy = h;
  }

  /** Fills probabilities, log-probabilities and the CDF of one block; returns its entropy. */
  private double softmax(int l, int start, int size) {
    double[] x = logits[l];
    double max = Double.NEGATIVE_INFINITY;
    for (int i = start; i < start + size; i++) {
      max = Math.max(max, x[i]);
    }
    double sum = 0;
    for (int i = start; i < start + size; i++) {
      double e = StrictMath.exp(x[i] - max);
      probs[l][i] = e;
      sum += e;
    }
    double logSum = StrictMath.log(sum);
    double cumulative = 0;
    double h = 0;
    for (int i = start; i < start + size; i++) {
      double p = probs[l][i] / sum;
      double logP = x[i] - max - logSum;
      probs[l][i] = p;
      logProbs[l][i] = logP;
      cumulative += p;
      cdf[l][i] = cumulative;
      h -= p * logP;
    }
    return h;
  }

  /** The uniform distribution (all logits zero) in the given phase, version 0. */
  public static Distribution uniform(SearchSpace space, Phase phase) {
    Layout layout =
        Layout.of(Objects.requireNonNull(space, "space"), Objects.requireNonNull(phase, "phase"));
    double[][] logits = new double[space.layerCount()][];
    for (int l = 0; l < logits.length; l++) {
      logits[l] = new double[layout.sizes[l]];
    }
    return new Distribution(space, phase, layout, logits, 0);
  }

  /**
   * A distribution from its logits (copied), shaped as described in the class comment.
   *
   * @throws IllegalArgumentException when the shape does not fit the space and phase, a logit is
   *     not finite, or the version is negative
   */
  public static Distribution of(SearchSpace space, Phase phase, double[][] logits, long version) {
    Layout layout =
        Layout.of(Objects.requireNonNull(space, "space"), Objects.requireNonNull(phase, "phase"));
    return new Distribution(
        space, phase, layout, checkedCopy(space, layout, logits, "logits"), checkVersion(version));
  }

  /** Trusted construction from arrays nobody else holds (the update's fresh logits). */
  static Distribution wrap(SearchSpace space, Phase phase, double[][] logits, long version) {
    return new Distribution(space, phase, Layout.of(space, phase), logits, version);
  }

  static double[][] checkedCopy(SearchSpace space, Layout layout, double[][] values, String what) {
    Objects.requireNonNull(values, what);
    if (values.length != space.layerCount()) {
      throw new IllegalArgumentException(
          what
              + " have "
              + values.length
              + " layers, space '"
              + space.name()
              + "' has "
              + space.layerCount());
    }
    double[][] copy = new double[values.length][];
    for (int l = 0; l < values.length; l++) {
      if (values[l] == null || values[l].length != layout.sizes[l]) {
        throw new IllegalArgumentException(
            what
                + " of layer '"
                + space.layer(l).name()
                + "' have "
                + (values[l] == null ? "no" : String.valueOf(values[l].length))
                + " entries, a "
                + layout.phase
                + " distribution needs "
                + layout.sizes[l]);
      }
      for (int i = 0; i < values[l].length; i++) {
        if (!Double.isFinite(values[l][i])) {
          throw new IllegalArgumentException(
              what
                  + " of layer '"
                  + space.layer(l).name()
                  + "' hold a non-finite value at position "
                  + i
                  + ": "
                  + values[l][i]);
        }
      }
      copy[l] = values[l].clone();
    }
    return copy;
  }

  private static long checkVersion(long version) {
    if (version < 0) {
      throw new IllegalArgumentException("version must not be negative, got " + version);
    }
    return version;
  }

  /** The representation: factorized or joint. */
  public Phase phase() {
    return phase;
  }

  /** The version: 0 for an initial distribution, one more per update. */
  public long version() {
    return version;
  }

  /** The space the distribution is over. */
  public SearchSpace space() {
    return space;
  }

  /** A copy of the logits, shaped as described in the class comment. */
  public double[][] logits() {
    return deepCopy(logits);
  }

  /** A copy of the per-block softmax probabilities, same shape as {@link #logits()}. */
  public double[][] probabilities() {
    return deepCopy(probs);
  }

  /**
   * The probability of each choice of variable {@code m} of layer {@code l}: its block under FD,
   * summed over the layer's other variables under JD (for a picture of the distribution).
   */
  public double[] marginal(int l, int m) {
    int n = space.choiceCount(l, m);
    if (phase == Phase.FACTORIZED) {
      return java.util.Arrays.copyOfRange(
          probs[l], layout.blockStart(l, m), layout.blockStart(l, m) + n);
    }
    double[] out = new double[n];
    int[] choices = new int[space.layer(l).variables().size()];
    for (int j = 0; j < probs[l].length; j++) {
      layout.decode(l, j, choices);
      out[choices[m]] += probs[l][j];
    }
    return out;
  }

  /** log p(A), a sum over layers (and, under FD, over variables) of log-softmax values. */
  public double logProbability(Architecture architecture) {
    architecture.validate(space);
    double sum = 0;
    for (int l = 0; l < logits.length; l++) {
      if (phase == Phase.FACTORIZED) {
        for (int m = 0; m < architecture.variableCount(l); m++) {
          sum += logProbs[l][layout.offsets[l][m] + architecture.choice(l, m)];
        }
      } else {
        sum += logProbs[l][layout.jointIndex(l, architecture)];
      }
    }
    return sum;
  }

  /** p(A) = exp(log p(A)). */
  public double probability(Architecture architecture) {
    return StrictMath.exp(logProbability(architecture));
  }

  /** The entropy in nats, {@code H = Σ_l H(p_l)} (under FD also summed over variables). */
  public double entropy() {
    return entropy;
  }

  /** The most likely architecture; ties go to the lowest index. */
  public Architecture mode() {
    int[][] out = new int[logits.length][];
    for (int l = 0; l < logits.length; l++) {
      out[l] = new int[layout.counts[l].length];
      if (phase == Phase.FACTORIZED) {
        for (int m = 0; m < out[l].length; m++) {
          out[l][m] = argmax(probs[l], layout.offsets[l][m], layout.counts[l][m]);
        }
      } else {
        layout.decode(l, argmax(probs[l], 0, probs[l].length), out[l]);
      }
    }
    return Architecture.of(out);
  }

  private static int argmax(double[] values, int start, int size) {
    int best = 0;
    for (int i = 1; i < size; i++) {
      if (values[start + i] > values[start + best]) {
        best = i;
      }
    }
    return best;
  }

  /**
   * The same distribution in joint form (docs/algorithm.md §2): {@code φ[l][index(c)] = Σ_m log
   * softmax(θ[l][m])[c_m]}; same version. A joint distribution is returned as it is.
   */
  public Distribution toJoint() {
    if (phase == Phase.JOINT) {
      return this;
    }
    Layout joint = Layout.of(space, Phase.JOINT);
    double[][] phi = new double[logits.length][];
    for (int l = 0; l < logits.length; l++) {
      phi[l] = new double[joint.sizes[l]];
      int[] choices = new int[layout.counts[l].length];
      for (int index = 0; index < phi[l].length; index++) {
        joint.decode(l, index, choices);
        double sum = 0;
        for (int m = 0; m < choices.length; m++) {
          sum += logProbs[l][layout.offsets[l][m] + choices[m]];
        }
        phi[l][index] = sum;
      }
    }
    return new Distribution(space, Phase.JOINT, joint, phi, version);
  }

  /**
   * Per-variable arrays shaped like a factorized distribution's logits, mapped to the joint layout
   * by the same sums as {@link #toJoint()} maps the logits: entry {@code index(c)} of layer {@code
   * l} is {@code Σ_m x[l][m][c_m]}. Adam's moments are carried across the FD→JD switch this way.
   */
  static double[][] jointSums(SearchSpace space, double[][] factorized) {
    Layout fd = Layout.of(space, Phase.FACTORIZED);
    Layout joint = Layout.of(space, Phase.JOINT);
    double[][] out = new double[factorized.length][];
    for (int l = 0; l < factorized.length; l++) {
      out[l] = new double[joint.sizes[l]];
      int[] choices = new int[fd.counts[l].length];
      for (int index = 0; index < out[l].length; index++) {
        joint.decode(l, index, choices);
        double sum = 0;
        for (int m = 0; m < choices.length; m++) {
          sum += factorized[l][fd.offsets[l][m] + choices[m]];
        }
        out[l][index] = sum;
      }
    }
    return out;
  }

  /** The number of logits. */
  public int parameterCount() {
    int total = 0;
    for (double[] layer : logits) {
      total += layer.length;
    }
    return total;
  }

  /** The number of logits a distribution of this phase over the space has (saturating). */
  public static long parameterCount(SearchSpace space, Phase phase) {
    return Layout.parameterCount(space, phase);
  }

  /** Draws one architecture by inverse CDF, one uniform number per softmax block, in order. */
  Architecture draw(SplitMix64 random) {
    int[][] out = new int[logits.length][];
    for (int l = 0; l < logits.length; l++) {
      out[l] = new int[layout.counts[l].length];
      if (phase == Phase.FACTORIZED) {
        for (int m = 0; m < out[l].length; m++) {
          int start = layout.offsets[l][m];
          out[l][m] = pick(l, start, layout.counts[l][m], random.nextDouble()) - start;
        }
      } else {
        layout.decode(l, pick(l, 0, cdf[l].length, random.nextDouble()), out[l]);
      }
    }
    return Architecture.of(out);
  }

  /**
   * The first position in the block whose cumulative probability exceeds {@code u} (binary search);
   * when rounding leaves the block's total at or below {@code u}, the last position with a non-zero
   * probability.
   */
  private int pick(int l, int start, int size, double u) {
    double[] c = cdf[l];
    int lo = start;
    int hi = start + size - 1;
    if (u >= c[hi]) {
      int last = hi;
      while (last > start && probs[l][last] == 0) {
        last--;
      }
      return last;
    }
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (c[mid] > u) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  Layout layout() {
    return layout;
  }

  /**
   * The probability that variables {@code v1} and {@code v2} of layer {@code l} take choices {@code
   * c1} and {@code c2} together: under JD summed over the layer's joint choices, under FD the
   * product of their marginals.
   */
  public double pairProbability(int l, int v1, int c1, int v2, int c2) {
    if (phase == Phase.FACTORIZED) {
      if (v1 == v2) {
        return c1 == c2 ? marginal(l, v1)[c1] : 0;
      }
      return marginal(l, v1)[c1] * marginal(l, v2)[c2];
    }
    int[] choices = new int[layout.counts[l].length];
    double both = 0;
    for (int index = 0; index < probs[l].length; index++) {
      layout.decode(l, index, choices);
      if (choices[v1] == c1 && choices[v2] == c2) {
        both += probs[l][index];
      }
    }
    return both;
  }

  /** Direct read access to every layer's log-probabilities (do not modify). */
  double[][] logProbabilities() {
    return logProbs;
  }

  /** Direct read access to layer {@code l}'s probabilities for the update (do not modify). */
  double[] probs(int l) {
    return probs[l];
  }

  static double[][] deepCopy(double[][] values) {
    double[][] copy = new double[values.length][];
    for (int l = 0; l < values.length; l++) {
      copy[l] = values[l].clone();
    }
    return copy;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Distribution other
        && version == other.version
        && phase == other.phase
        && Arrays.deepEquals(logits, other.logits)
        && space.equals(other.space);
  }

  @Override
  public int hashCode() {
    return Objects.hash(phase, version, Arrays.deepHashCode(logits));
  }

  @Override
  public String toString() {
    return "Distribution["
        + space.name()
        + ", "
        + phase
        + ", version "
        + version
        + ", entropy "
        + entropy
        + "]";
  }
}
