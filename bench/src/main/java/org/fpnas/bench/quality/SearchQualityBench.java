package org.fpnas.bench.quality;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import org.fpnas.bench.Bench;
import org.fpnas.bench.BenchContext;
import org.fpnas.bench.report.Section;
import org.fpnas.bench.report.Stats;
import org.fpnas.bench.report.Table;
import org.fpnas.core.tabular.TabularBenchmark;
import org.fpnas.core.tabular.TabularBenchmarks;

/**
 * Search quality on the shipped tabular benchmarks: every method on the same table and signal, the
 * held-out accuracy of its answer at 100 to 1600 queries, mean ± sd over many search seeds, the
 * table's optimum beside it; and a cost-aware comparison on NAS-Bench-Macro under a FLOPs target.
 */
public final class SearchQualityBench implements Bench {
  static final int[] BUDGETS = {100, 200, 400, 800, 1600};
  static final String NB201 = "nasbench201-cifar10";
  static final String MACRO = "nas-bench-macro-cifar10";

  /** FP-NAS as a user gets it: the core's defaults (chosen on these tables, core/README.md). */
  static final Map<String, String> FP_NAS = Map.of();

  /** PARSEC as the papers run it: softmax weights, Adam with momentum, a fixed K. */
  static final Map<String, String> PARSEC =
      Map.of("learningRate", "0.1", "weighting", "softmax", "adamBeta1", "0.9");

  static final int PARSEC_K = 16;
  static final double FLOPS_TARGET = 40e6;

  /**
   * A sweep, not a tuned value: the cost weight only bites once beta · v outweighs a near one-hot
   * ω.
   */
  static final double[] BETAS = {0.5, 1.0, 2.0};

  @Override
  public String name() {
    return "search-quality";
  }

  @Override
  public String title() {
    return "Search quality on tabular benchmarks";
  }

  @Override
  public String method() {
    return "NAS-Bench-201 CIFAR-10 (15,625 architectures) and NAS-Bench-Macro CIFAR-10 (6,561), shipped in "
        + "`benchmarks/`. Every method queries the same table: a query returns one training seed's accuracy (drawn "
        + "as a pure function of the search seed and the query), as a log-likelihood of a 250-image batch for the "
        + "distribution methods (core/README.md, \"Tabular benchmarks\") and as the accuracy for the others; the "
        + "held-out metric (NAS-Bench-201: CIFAR-10 test accuracy; NAS-Bench-Macro: mean of the three runs, whose "
        + "single runs are its only signal) is read only to report the answer. Methods: random search (answer: the "
        + "best queried by signal); regularized evolution (Real et al. 2019: population 20, tournament 5, one "
        + "variable mutated, ageing; answer: best queried); REINFORCE as NAS-Bench-201 runs it (softmax per "
        + "variable, moving-average baseline momentum 0.9, Adam 0.01, reward = accuracy); PARSEC (the core's "
        + "update with fixedK = "
        + PARSEC_K
        + "); PARSEC with softmax weights, Adam's momentum 0.9 and learningRate 0.1; FP-NAS with "
        + "the core's defaults (rank weights, learningRate 0.2, no momentum; adaptive K is clamped at kMin = 24 on "
        + "both spaces). For the distribution methods the "
        + "answer is the mode after the last update within the budget, and \"best queried\" the queried "
        + "architecture with the best signal. Cells: held-out accuracy (%) mean ± sd over the seeds. Cost-aware "
        + "rows: NAS-Bench-Macro with a target of "
        + FLOPS_TARGET / 1e6
        + " M FLOPs, FP-NAS with beta = 0.5, 1 and 2"
        + " and costTarget = the target (its best queried counts only architectures within it) against regularized "
        + "evolution that never queries an architecture over it.";
  }

  @Override
  public Section run(BenchContext context) {
    int seeds = context.size(10, 100);
    TabularBenchmark nb201 = TabularBenchmarks.get(NB201);
    TabularBenchmark macro = TabularBenchmarks.get(MACRO);
    List<TabularMethod> methods = methods();
    Table table = new Table().column("benchmark").column("method").column("answer");
    for (int b : BUDGETS) {
      table.column(b + " queries");
    }
    Map<String, double[]> means = new LinkedHashMap<>();
    ForkJoinPool pool = new ForkJoinPool(Math.max(1, Runtime.getRuntime().availableProcessors()));
    try {
      for (TabularBenchmark benchmark : List.of(nb201, macro)) {
        for (TabularMethod method : methods) {
          context.progress("%s: %s, %d seeds", benchmark.name(), method.name(), seeds);
          TabularMethod.Answers[] runs = runAll(pool, method, benchmark, seeds);
          if (method.distribution()) {
            means.put(
                benchmark.name() + "/" + method.name() + "/mode",
                row(table, benchmark, method.name(), "mode", runs, true, Metric.ACCURACY));
          }
          means.put(
              benchmark.name() + "/" + method.name() + "/best",
              row(table, benchmark, method.name(), "best queried", runs, false, Metric.ACCURACY));
        }
        String optimum = String.format(Locale.ROOT, "%.2f", benchmark.heldOut(benchmark.bestRow()));
        table.row(
            benchmark.name(),
            "optimum of the table",
            benchmark.architecture(benchmark.bestRow()).toString(),
            optimum,
            optimum,
            optimum,
            optimum,
            optimum);
      }
      costAware(context, pool, table, macro, seeds);
    } finally {
      pool.shutdown();
    }
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("seeds", seeds + " (0.." + (seeds - 1) + ") per method and benchmark");
    settings.put("budgets", java.util.Arrays.toString(BUDGETS) + " queries");
    settings.put("FP-NAS", "core defaults");
    settings.put(
        "PARSEC",
        "core defaults, learningRate=0.1, weighting=softmax, adamBeta1=0.9, fixedK=" + PARSEC_K);
    settings.put("signal", "one training seed's accuracy; log-likelihood of B=250 images, C=10");
    settings.put(
        "cost-aware",
        "NAS-Bench-Macro, FLOPs target "
            + FLOPS_TARGET / 1e6
            + " M, FP-NAS beta="
            + java.util.Arrays.toString(BETAS));
    return new Section(name(), title(), method(), settings, seeds, table, findings(means));
  }

  static List<TabularMethod> methods() {
    Map<String, String> parsec = new LinkedHashMap<>(PARSEC);
    parsec.put("fixedK", Integer.toString(PARSEC_K));
    return List.of(
        new RandomSearchMethod(),
        new RegularizedEvolution(20, 5, Double.POSITIVE_INFINITY),
        new Reinforce(),
        new DistributionSearch("PARSEC (K = " + PARSEC_K + ")", parsec),
        new DistributionSearch("FP-NAS", FP_NAS));
  }

  private void costAware(
      BenchContext context, ForkJoinPool pool, Table table, TabularBenchmark macro, int seeds) {
    String target =
        String.format(Locale.ROOT, "%s ≤ %.0f M FLOPs", macro.name(), FLOPS_TARGET / 1e6);
    List<TabularMethod> methods = new ArrayList<>();
    for (double beta : BETAS) {
      Map<String, String> costAware = new LinkedHashMap<>(FP_NAS);
      costAware.put("beta", Double.toString(beta));
      costAware.put("costTarget", Double.toString(FLOPS_TARGET));
      methods.add(
          new DistributionSearch(
              String.format(Locale.ROOT, "FP-NAS beta = %.1f", beta), costAware));
    }
    methods.add(new RegularizedEvolution(20, 5, FLOPS_TARGET));
    for (TabularMethod method : methods) {
      context.progress("%s: %s, %d seeds", target, method.name(), seeds);
      TabularMethod.Answers[] runs = runAll(pool, method, macro, seeds);
      boolean mode = method.distribution();
      String answer = mode ? "mode" : "best queried";
      for (Metric metric : Metric.values()) {
        row(table, macro, method.name(), answer + ": " + metric.label, runs, mode, metric, target);
      }
      if (mode) {
        row(
            table,
            macro,
            method.name(),
            "best queried: accuracy",
            runs,
            false,
            Metric.ACCURACY,
            target);
      }
    }
    int best = -1;
    for (int r = 0; r < macro.size(); r++) {
      if (macro.cost(r) <= FLOPS_TARGET && (best < 0 || macro.heldOut(r) > macro.heldOut(best))) {
        best = r;
      }
    }
    String optimum =
        String.format(Locale.ROOT, "%.2f (%.1f M)", macro.heldOut(best), macro.cost(best) / 1e6);
    table.row(
        target,
        "optimum within the target",
        macro.architecture(best).toString(),
        optimum,
        optimum,
        optimum,
        optimum,
        optimum);
  }

  private static TabularMethod.Answers[] runAll(
      ForkJoinPool pool, TabularMethod method, TabularBenchmark benchmark, int seeds) {
    TabularMethod.Answers[] runs = new TabularMethod.Answers[seeds];
    pool.submit(
            () ->
                IntStream.range(0, seeds)
                    .parallel()
                    .forEach(s -> runs[s] = method.run(benchmark, s, BUDGETS)))
        .join();
    return runs;
  }

  /** What a cell reports about the answered rows. */
  enum Metric {
    ACCURACY("accuracy"),
    FLOPS("FLOPs (M)"),
    WITHIN("within target (%)");

    final String label;

    Metric(String label) {
      this.label = label;
    }
  }

  private static double[] row(
      Table table,
      TabularBenchmark benchmark,
      String method,
      String answer,
      TabularMethod.Answers[] runs,
      boolean mode,
      Metric metric) {
    return row(table, benchmark, method, answer, runs, mode, metric, benchmark.name());
  }

  private static double[] row(
      Table table,
      TabularBenchmark benchmark,
      String method,
      String answer,
      TabularMethod.Answers[] runs,
      boolean mode,
      Metric metric,
      String label) {
    Object[] cells = new Object[3 + BUDGETS.length];
    cells[0] = label;
    cells[1] = method;
    cells[2] = answer;
    double[] means = new double[BUDGETS.length];
    for (int j = 0; j < BUDGETS.length; j++) {
      double[] values = new double[runs.length];
      for (int s = 0; s < runs.length; s++) {
        int r = mode ? runs[s].answer()[j] : runs[s].bestQueried()[j];
        values[s] =
            switch (metric) {
              case ACCURACY -> benchmark.heldOut(r);
              case FLOPS -> benchmark.cost(r) / 1e6;
              case WITHIN -> benchmark.cost(r) <= FLOPS_TARGET ? 100 : 0;
            };
      }
      means[j] = Stats.mean(values);
      cells[3 + j] =
          metric == Metric.WITHIN
              ? String.format(Locale.ROOT, "%.0f", means[j])
              : String.format(
                  Locale.ROOT,
                  metric == Metric.FLOPS ? "%.1f ± %.1f" : "%.2f ± %.2f",
                  means[j],
                  sd(values));
    }
    table.row(cells);
    return means;
  }

  static double sd(double[] values) {
    if (values.length < 2) {
      return 0;
    }
    double mean = Stats.mean(values);
    double squares = 0;
    for (double v : values) {
      squares += (v - mean) * (v - mean);
    }
    return Math.sqrt(squares / (values.length - 1));
  }

  private static List<String> findings(Map<String, double[]> means) {
    List<String> findings = new ArrayList<>();
    for (String benchmark : List.of(NB201, MACRO)) {
      double[] fpNas = means.get(benchmark + "/FP-NAS/mode");
      double[] evolution = means.get(benchmark + "/regularized evolution/best");
      List<String> wins = new ArrayList<>();
      List<String> losses = new ArrayList<>();
      for (int j = 0; j < BUDGETS.length; j++) {
        String cell =
            String.format(Locale.ROOT, "%d (%.2f vs %.2f)", BUDGETS[j], fpNas[j], evolution[j]);
        (fpNas[j] >= evolution[j] ? wins : losses).add(cell);
      }
      findings.add(
          benchmark
              + ": FP-NAS's mode is at least as accurate as regularized evolution's answer at "
              + (wins.isEmpty() ? "no budget" : String.join(", ", wins))
              + "; it loses at "
              + (losses.isEmpty() ? "no budget" : String.join(", ", losses))
              + " queries.");
    }
    double at400 = means.get(NB201 + "/FP-NAS/mode")[2];
    findings.add(
        String.format(
            Locale.ROOT, "%s at 400 queries: FP-NAS's mode %.2f (target: 94.30).", NB201, at400));
    return findings;
  }
}
