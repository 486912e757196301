package org.fpnas.bench.report;

import java.util.Arrays;

/**
 * Percentiles of measured values. Machines here are shared and noisy, so every figure is a median
 * with its spread, never a single run.
 */
public final class Stats {
  private Stats() {}

  /** The median (the 50th percentile). */
  public static double median(double[] values) {
    return percentile(values, 50);
  }

  /**
   * The {@code p}-th percentile, interpolating linearly between the two closest ranks (numpy's
   * default): rank {@code p/100 · (n − 1)} of the sorted values. +infinity is allowed (it stands
   * for "not reached") and sorts last; a percentile that falls on or next to it is infinite.
   *
   * @throws IllegalArgumentException for no values, a NaN value or p outside [0, 100]
   */
  public static double percentile(double[] values, double p) {
    if (values.length == 0) {
      throw new IllegalArgumentException("a percentile needs at least one value, got none");
    }
    if (!(p >= 0 && p <= 100)) {
      throw new IllegalArgumentException("percentile must be in [0, 100], got " + p);
    }
    double[] sorted = values.clone();
    for (double v : sorted) {
      if (Double.isNaN(v)) {
        throw new IllegalArgumentException(
            "cannot take a percentile of NaN: " + Arrays.toString(values));
      }
    }
    Arrays.sort(sorted);
    double rank = p / 100 * (sorted.length - 1);
    int below = (int) Math.floor(rank);
    double fraction = rank - below;
    double lo = sorted[below];
    if (fraction == 0) {
      return lo;
    }
    double hi = sorted[below + 1];
    // lo + (hi − lo)·f would give NaN for two infinities.
    return lo == hi ? lo : lo + (hi - lo) * fraction;
  }

  /** The arithmetic mean. */
  public static double mean(double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("a mean needs at least one value, got none");
    }
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return sum / values.length;
  }

  /** {@code a / b}, or NaN when either is not finite or b is 0 (a ratio that does not exist). */
  public static double ratio(double a, double b) {
    return Double.isFinite(a) && Double.isFinite(b) && b != 0 ? a / b : Double.NaN;
  }
}
