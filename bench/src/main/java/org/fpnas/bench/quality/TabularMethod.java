package org.fpnas.bench.quality;

import org.fpnas.core.tabular.TabularBenchmark;

/**
 * A search strategy run on a tabular benchmark, answering after each of a list of query budgets.
 */
interface TabularMethod {
  /** The name shown in the tables. */
  String name();

  /**
   * Whether it has an answer of its own (a distribution's mode) beside the best queried
   * architecture.
   */
  boolean distribution();

  /**
   * One search with this seed.
   *
   * @param budgets query counts, ascending
   */
  Answers run(TabularBenchmark benchmark, long seed, int[] budgets);

  /**
   * The rows a search answered at each budget.
   *
   * @param answer the method's answer (for methods without a distribution, the best queried)
   * @param bestQueried the queried row with the best signal
   * @param sampleCounts a distribution method's K of each iteration, in order (else empty)
   * @param trail a distribution method's answers as it gave them: {queries so far, row} pairs
   */
  record Answers(int[] answer, int[] bestQueried, int[] sampleCounts, int[][] trail) {
    Answers(int[] answer, int[] bestQueried) {
      this(answer, bestQueried, new int[0], new int[0][]);
    }

    /**
     * The first query count at which the answer's held-out metric reached {@code target}; -1 when
     * it never did within the budgets.
     */
    int queriesTo(TabularBenchmark benchmark, double target) {
      for (int[] step : trail) {
        if (benchmark.heldOut(step[1]) >= target) {
          return step[0];
        }
      }
      return -1;
    }
  }
}
