package org.fpnas.bench.report;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.stat.correlation.KendallsCorrelation;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;

/**
 * How far two scorings of the same items agree on their order: Kendall's tau-b (ties counted as
 * neither concordant nor discordant) and Spearman's rho (Pearson's correlation of the ranks, ties
 * at their mean rank), both from commons-math3, and a two-sided p-value of tau under independence.
 *
 * @param n the number of items
 * @param kendallTau Kendall's tau-b, in [-1, 1]
 * @param spearmanRho Spearman's rho, in [-1, 1]
 * @param kendallP two-sided p-value of tau against no association, by the normal approximation
 *     (variance 2(2n+5) / (9n(n-1)), no tie correction); rough below n = 10
 */
public record RankCorrelation(int n, double kendallTau, double spearmanRho, double kendallP) {
  /**
   * The rank correlations of {@code x} and {@code y}, item {@code i} being {@code (x[i], y[i])}.
   *
   * @throws IllegalArgumentException when the lengths differ, there are fewer than 3 items, a value
   *     is not finite or one side gives every item the same value (no order to compare)
   */
  public static RankCorrelation of(double[] x, double[] y) {
    if (x.length != y.length) {
      throw new IllegalArgumentException(
          "rank correlation of two scorings of the same items: got "
              + x.length
              + " and "
              + y.length
              + " values");
    }
    if (x.length < 3) {
      throw new IllegalArgumentException(
          "rank correlation needs at least 3 items, got " + x.length);
    }
    check(x, "first");
    check(y, "second");
    int n = x.length;
    double tau = new KendallsCorrelation().correlation(x, y);
    double rho = new SpearmansCorrelation().correlation(x, y);
    double sd = Math.sqrt(2.0 * (2 * n + 5) / (9.0 * n * (n - 1)));
    double p = 2 * new NormalDistribution(0, sd).cumulativeProbability(-Math.abs(tau));
    return new RankCorrelation(n, tau, rho, Math.min(1, p));
  }

  private static void check(double[] v, String which) {
    boolean allEqual = true;
    for (int i = 0; i < v.length; i++) {
      if (!Double.isFinite(v[i])) {
        throw new IllegalArgumentException(
            "rank correlation: value " + i + " of the " + which + " scoring is " + v[i]);
      }
      allEqual &= v[i] == v[0];
    }
    if (allEqual) {
      throw new IllegalArgumentException(
          "rank correlation: the "
              + which
              + " scoring gives all "
              + v.length
              + " items the same value, so it orders nothing");
    }
  }
}
