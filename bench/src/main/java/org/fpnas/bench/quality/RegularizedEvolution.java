package org.fpnas.bench.quality;

import java.util.ArrayDeque;
import java.util.Deque;
import org.fpnas.core.SplitMix64;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.SearchSpace;
import org.fpnas.core.tabular.TabularBenchmark;

/**
 * Regularized evolution (Real et al., "Regularized Evolution for Image Classifier Architecture
 * Search", AAAI 2019, Algorithm 1): a population of P architectures, first drawn uniformly; each
 * cycle samples S members with replacement, mutates the one with the best signal by changing one
 * variable (an edge's operation, a layer's block) to another of its choices, queries the child,
 * appends it and removes the oldest member (ageing). The answer is the best queried architecture.
 * With a cost budget, only architectures within it are ever queried: initial members are redrawn
 * and mutations retried until they fit (the "restricted to the budget" baseline).
 */
final class RegularizedEvolution implements TabularMethod {
  /** Key of the stream of the evolution's own choices. */
  static final long STREAM = 0x5E6E7011L;

  private final int population;
  private final int tournament;
  private final double costBudget;

  /**
   * @param population P
   * @param tournament S
   * @param costBudget the largest cost queried; +infinity for none
   */
  RegularizedEvolution(int population, int tournament, double costBudget) {
    if (population < 1 || tournament < 1) {
      throw new IllegalArgumentException(
          "population and tournament must be at least 1, got " + population + " and " + tournament);
    }
    this.population = population;
    this.tournament = tournament;
    this.costBudget = costBudget;
  }

  @Override
  public String name() {
    return "regularized evolution" + (Double.isInfinite(costBudget) ? "" : " within budget");
  }

  @Override
  public boolean distribution() {
    return false;
  }

  @Override
  public Answers run(TabularBenchmark benchmark, long seed, int[] budgets) {
    TabularQueries queries = new TabularQueries(budgets);
    evolve(benchmark, seed, queries, row -> {});
    return queries.finish();
  }

  /**
   * Evolves until the queries are spent, telling {@code queried} every queried row in order.
   *
   * @return the final population, oldest first
   */
  java.util.List<Integer> evolve(
      TabularBenchmark benchmark,
      long seed,
      TabularQueries queries,
      java.util.function.IntConsumer queried) {
    SplitMix64 random = SplitMix64.seeded(seed, STREAM);
    Deque<Member> members = new ArrayDeque<>();
    while (!queries.spent() && members.size() < population) {
      members.addLast(query(benchmark, seed, queries, randomRow(benchmark, random), queried));
    }
    while (!queries.spent()) {
      Member parent = null;
      Member[] all = members.toArray(new Member[0]);
      for (int s = 0; s < tournament; s++) {
        Member candidate = all[random.nextInt(all.length)];
        if (parent == null || candidate.signal > parent.signal) {
          parent = candidate;
        }
      }
      members.addLast(
          query(benchmark, seed, queries, mutate(benchmark, parent.row, random), queried));
      members.removeFirst(); // ageing: the oldest goes, however good it is
    }
    return members.stream().map(Member::row).toList();
  }

  private Member query(
      TabularBenchmark benchmark,
      long seed,
      TabularQueries queries,
      int row,
      java.util.function.IntConsumer queried) {
    queried.accept(row);
    double signal = TabularQueries.signal(benchmark, row, seed, queries.count());
    queries.observe(row, signal);
    return new Member(row, signal);
  }

  private int randomRow(TabularBenchmark benchmark, SplitMix64 random) {
    for (int attempt = 0; attempt < 100_000; attempt++) {
      int row = random.nextInt(benchmark.size());
      if (benchmark.cost(row) <= costBudget) {
        return row;
      }
    }
    throw new IllegalArgumentException(
        "no architecture of " + benchmark.name() + " found within the cost budget " + costBudget);
  }

  /** One variable changed to another of its choices, within the budget when there is one. */
  int mutate(TabularBenchmark benchmark, int row, SplitMix64 random) {
    SearchSpace space = benchmark.space();
    for (int attempt = 0; attempt < 100_000; attempt++) {
      int[][] choices = benchmark.architecture(row).choices();
      int l = random.nextInt(space.layerCount());
      int m = random.nextInt(choices[l].length);
      int count = space.choiceCount(l, m);
      if (count < 2) {
        continue;
      }
      int other = random.nextInt(count - 1);
      choices[l][m] = other >= choices[l][m] ? other + 1 : other;
      int child = benchmark.row(Architecture.of(choices));
      if (benchmark.cost(child) <= costBudget) {
        return child;
      }
    }
    throw new IllegalStateException(
        "no mutation of " + benchmark.architecture(row) + " fits the cost budget " + costBudget);
  }

  private record Member(int row, double signal) {}
}
