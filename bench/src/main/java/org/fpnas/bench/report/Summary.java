package org.fpnas.bench.report;

/**
 * Order statistics of repeated measurements: how many, the median and the spread.
 *
 * @param n number of values
 * @param min smallest value
 * @param p25 25th percentile
 * @param median 50th percentile
 * @param p75 75th percentile
 * @param max largest value
 */
public record Summary(int n, double min, double p25, double median, double p75, double max) {
  /** The summary of the values (none may be NaN; +infinity stands for "never happened"). */
  public static Summary of(double[] values) {
    return new Summary(
        values.length,
        Stats.percentile(values, 0),
        Stats.percentile(values, 25),
        Stats.median(values),
        Stats.percentile(values, 75),
        Stats.percentile(values, 100));
  }

  /** The summary of the values. */
  public static Summary of(java.util.List<? extends Number> values) {
    return of(values.stream().mapToDouble(Number::doubleValue).toArray());
  }

  /** This summary with every statistic multiplied by {@code factor} (a change of unit). */
  public Summary scaled(double factor) {
    return new Summary(n, min * factor, p25 * factor, median * factor, p75 * factor, max * factor);
  }
}
