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
   */
  record Answers(int[] answer, int[] bestQueried) {}
}
