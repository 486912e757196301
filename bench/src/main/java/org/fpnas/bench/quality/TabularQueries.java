package org.fpnas.bench.quality;

import org.fpnas.core.tabular.TabularBenchmark;

/**
 * The queries one search makes of a tabular benchmark: counts them, keeps the queried row with the
 * best signal, and notes it as each budget is reached (and, for distribution methods, an answer of
 * the method's own). What a baseline would report as "best found"; it never reads the held-out
 * metric.
 */
final class TabularQueries {
  private final int[] budgets;
  private final int[] bestQueried;
  private final int[] answers;
  private int count;
  private int best = -1;
  private double bestSignal = Double.NEGATIVE_INFINITY;
  private int next;
  private double costBudget = Double.POSITIVE_INFINITY;
  private TabularBenchmark benchmark;
  private final java.util.List<int[]> trail = new java.util.ArrayList<>();
  private final java.util.List<Integer> sampleCounts = new java.util.ArrayList<>();

  TabularQueries(int[] budgets) {
    this.budgets = budgets.clone();
    this.bestQueried = new int[budgets.length];
    this.answers = new int[budgets.length];
    java.util.Arrays.fill(answers, -1);
  }

  /**
   * Only rows within this cost count as the best queried (a cost-aware search's best is within
   * budget).
   */
  TabularQueries withinCost(TabularBenchmark benchmark, double costBudget) {
    this.benchmark = benchmark;
    this.costBudget = costBudget;
    return this;
  }

  /** Queries made so far. */
  int count() {
    return count;
  }

  /** The largest budget. */
  int last() {
    return budgets[budgets.length - 1];
  }

  /** Whether the largest budget is spent. */
  boolean spent() {
    return count >= last();
  }

  /** Records one query of {@code row} that returned {@code signal}. */
  void observe(int row, double signal) {
    count++;
    if (signal > bestSignal && (benchmark == null || benchmark.cost(row) <= costBudget)) {
      bestSignal = signal;
      best = row;
    }
    while (next < budgets.length && count >= budgets[next]) {
      bestQueried[next++] = best;
    }
  }

  /**
   * The method's own answer after the queries so far (a distribution's mode): at each budget the
   * answer is the last one given within it.
   */
  void answer(int row) {
    trail.add(new int[] {count, row});
    for (int j = 0; j < budgets.length; j++) {
      if (budgets[j] >= count) {
        answers[j] = row;
      }
    }
  }

  /** Notes the K of an iteration about to be queried. */
  void iteration(int sampleCount) {
    sampleCounts.add(sampleCount);
  }

  /**
   * The rows at each budget: the method's answers (or the best queried when it has none) and the
   * best queried.
   */
  TabularMethod.Answers finish() {
    for (int j = next; j < budgets.length; j++) {
      bestQueried[j] = best;
    }
    for (int j = 0; j < budgets.length; j++) {
      if (bestQueried[j] < 0) {
        throw new IllegalStateException(
            "no architecture within the cost budget "
                + costBudget
                + " among the first "
                + Math.min(count, budgets[j])
                + " queries: no best queried to report at "
                + budgets[j]);
      }
    }
    int[] answered = new int[budgets.length];
    for (int j = 0; j < budgets.length; j++) {
      answered[j] = answers[j] >= 0 ? answers[j] : bestQueried[j];
    }
    return new TabularMethod.Answers(
        answered,
        bestQueried.clone(),
        sampleCounts.stream().mapToInt(Integer::intValue).toArray(),
        trail.toArray(new int[0][]));
  }

  /** The signal of a query: one training seed's accuracy of the row. */
  static double signal(TabularBenchmark benchmark, int row, long seed, int query) {
    return benchmark.accuracy(row, benchmark.trainingSeed(row, seed, query, 0));
  }
}
