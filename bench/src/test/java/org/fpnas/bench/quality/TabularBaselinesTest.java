package org.fpnas.bench.quality;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fpnas.bench.report.Stats;
import org.fpnas.core.SplitMix64;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.tabular.TabularBenchmark;
import org.junit.jupiter.api.Test;

class TabularBaselinesTest {
  /**
   * 16 architectures (2 layers of 4 choices); architecture a|b has accuracy 50 + 3a + b + 0.1·row%
   * on one training seed, held-out equal to it, cost a + b: the best is 3|3.
   */
  static TabularBenchmark small() {
    StringBuilder table = new StringBuilder("arch,acc,cost,test\n");
    for (int a = 0; a < 4; a++) {
      for (int b = 0; b < 4; b++) {
        double acc = 50 + 3 * a + b + 0.1 * (4 * a + b);
        table
            .append(a)
            .append('-')
            .append(b)
            .append(',')
            .append(acc)
            .append(',')
            .append(a + b)
            .append(',')
            .append(acc)
            .append('\n');
      }
    }
    Map<String, String> files =
        Map.of(
            "benchmark.yaml",
            """
        name: small
        space: space.yaml
        table: table.csv
        architecture: {column: arch, pattern: '(\\d)-(\\d)'}
        signal: {column: acc, unit: percent, classes: 10, batch: 250}
        cost: {column: cost}
        heldOut: {column: test}
        """,
            "space.yaml",
            """
        name: small
        layers:
          - {name: a, variables: {v: ['0', '1', '2', '3']}}
          - {name: b, variables: {v: ['0', '1', '2', '3']}}
        """,
            "table.csv",
            table.toString());
    return TabularBenchmark.read("small/benchmark.yaml", files::get);
  }

  @Test
  void randomSearchReachesTheExpectedBestOfUniformDraws() {
    TabularBenchmark b = small();
    int queries = 5;
    int seeds = 4000;
    double[] sorted = new double[b.size()];
    for (int r = 0; r < b.size(); r++) {
      sorted[r] = b.heldOut(r);
    }
    Arrays.sort(sorted);
    // E[max of q uniform draws with replacement] = Σ v_(i) ((i/N)^q − ((i−1)/N)^q).
    double expected = 0;
    int n = sorted.length;
    for (int i = 1; i <= n; i++) {
      expected +=
          sorted[i - 1]
              * (Math.pow((double) i / n, queries) - Math.pow((double) (i - 1) / n, queries));
    }
    double[] found = new double[seeds];
    for (int s = 0; s < seeds; s++) {
      found[s] = b.heldOut(new RandomSearchMethod().run(b, s, new int[] {queries}).answer()[0]);
    }
    double error = SearchQualityBench.sd(found) / Math.sqrt(seeds);
    assertEquals(
        expected, Stats.mean(found), 4 * error, "mean best of " + queries + " uniform queries");
  }

  @Test
  void evolutionMutatesExactlyOneVariableAndReachesEveryNeighbour() {
    TabularBenchmark b = small();
    RegularizedEvolution evolution = new RegularizedEvolution(5, 2, Double.POSITIVE_INFINITY);
    int parent = b.row(Architecture.parse("1|2"));
    SplitMix64 random = new SplitMix64(1);
    Set<Architecture> children = new HashSet<>();
    for (int i = 0; i < 500; i++) {
      Architecture child = b.architecture(evolution.mutate(b, parent, random));
      int changed = (child.choice(0, 0) != 1 ? 1 : 0) + (child.choice(1, 0) != 2 ? 1 : 0);
      assertEquals(1, changed, "child " + child + " of 1|2");
      children.add(child);
    }
    assertEquals(6, children.size(), "3 other choices in each of 2 layers");
  }

  @Test
  void evolutionAgesOutTheOldestMembersHoweverGood() {
    TabularBenchmark b = small();
    int population = 5;
    List<Integer> queried = new ArrayList<>();
    List<Integer> members =
        new RegularizedEvolution(population, 2, Double.POSITIVE_INFINITY)
            .evolve(b, 3, new TabularQueries(new int[] {60}), queried::add);
    assertEquals(60, queried.size());
    assertEquals(
        queried.subList(60 - population, 60),
        members,
        "the population is the last P queried, in order");
  }

  @Test
  void evolutionWithinABudgetNeverQueriesOverIt() {
    TabularBenchmark b = small();
    List<Integer> queried = new ArrayList<>();
    new RegularizedEvolution(5, 2, 3)
        .evolve(b, 4, new TabularQueries(new int[] {200}), queried::add);
    for (int row : queried) {
      assertTrue(b.cost(row) <= 3, b.architecture(row) + " costs " + b.cost(row));
    }
    assertTrue(
        queried.contains(b.row(Architecture.parse("3|0"))), "finds the best within the budget");
  }

  @Test
  void theSearchesAreDeterministicAndClimbToTheOptimumOfASmoothTable() {
    TabularBenchmark b = small();
    int[] budgets = {50, 400, 1600};
    for (TabularMethod method : SearchQualityBench.methods(b.space())) {
      TabularMethod.Answers one = method.run(b, 9, budgets);
      TabularMethod.Answers two = method.run(b, 9, budgets);
      assertArrayEquals(one.answer(), two.answer(), method.name());
      assertArrayEquals(one.bestQueried(), two.bestQueried(), method.name());
      assertEquals(
          "3|3", b.architecture(one.bestQueried()[2]).toString(), method.name() + " best queried");
      if (method.distribution()) {
        assertEquals("3|3", b.architecture(one.answer()[2]).toString(), method.name() + " answer");
      }
    }
  }
}
