package org.fpnas.bench.quality;

import org.fpnas.core.tabular.TabularBenchmark;
import org.fpnas.core.tabular.TabularRandomSearch;

/** Random search: uniform queries, the answer is the best queried ({@link TabularRandomSearch}). */
final class RandomSearchMethod implements TabularMethod {
  @Override
  public String name() {
    return "random search";
  }

  @Override
  public boolean distribution() {
    return false;
  }

  @Override
  public Answers run(TabularBenchmark benchmark, long seed, int[] budgets) {
    int[] rows = TabularRandomSearch.answers(benchmark, seed, budgets);
    return new Answers(rows, rows.clone());
  }
}
