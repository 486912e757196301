package org.fpnas.core.tabular;

import org.fpnas.core.SplitMix64;

/**
 * Random search on a tabular benchmark, the reference every search result is read against: query
 * {@code q} (0-based) of a search with seed s is the architecture of row {@code
 * SplitMix64.seeded(s, STREAM, q).nextInt(size)} (uniform over the space, repeats allowed), scored
 * by the training seed {@code trainingSeed(row, s, q, 0)}; the answer after n queries is the
 * queried row with the best signal (the first of equals). It never reads the held-out metric.
 */
public final class TabularRandomSearch {
  /** Key of the stream that picks the queried rows. */
  public static final long STREAM = 0x4A2D0E5EA2C4L;

  private TabularRandomSearch() {}

  /**
   * The answers after each budget.
   *
   * @param budgets query counts, ascending, each at least 1
   * @return the answered row per budget
   */
  public static int[] answers(TabularBenchmark benchmark, long seed, int... budgets) {
    int[] answers = new int[budgets.length];
    int best = -1;
    double bestSignal = Double.NEGATIVE_INFINITY;
    int q = 0;
    for (int j = 0; j < budgets.length; j++) {
      if (budgets[j] < 1 || (j > 0 && budgets[j] < budgets[j - 1])) {
        throw new IllegalArgumentException(
            "budgets must be ascending and at least 1, got " + budgets[j] + " at position " + j);
      }
      for (; q < budgets[j]; q++) {
        int row = SplitMix64.seeded(seed, STREAM, q).nextInt(benchmark.size());
        double signal = benchmark.accuracy(row, benchmark.trainingSeed(row, seed, q, 0));
        if (signal > bestSignal) {
          bestSignal = signal;
          best = row;
        }
      }
      answers[j] = best;
    }
    return answers;
  }
}
