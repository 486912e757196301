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

  /** FP-NAS as a user gets it: the core's defaults (docs/decisions/search-defaults.md). */
  static final Map<String, String> FP_NAS = Map.of();

  /** The name of FP-NAS's own update with K fixed at FP-NAS's first K: PARSEC at its start. */
  static final String SAME_START = "PARSEC at FP-NAS's start";

  /** The held-out accuracy whose first reaching is counted in queries (samples-to-target). */
  static final Map<String, Double> TARGETS =
      Map.of("nasbench201-cifar10", 94.30, "nas-bench-macro-cifar10", 93.05);

  /** PARSEC as the papers run it: softmax weights, Adam with momentum, a fixed K. */
  static final Map<String, String> PARSEC =
      Map.of("learningRate", "0.1", "weighting", "softmax", "adamBeta1", "0.9");

  static final int PARSEC_K = 16;
  static final double FLOPS_TARGET = 40e6;

  /**
   * NAS-Bench-201's cost target, parameters in millions: its optimum within is 93.75, not 94.37.
   */
  static final double PARAMS_TARGET = 0.5;

  /** The hinge's weight when the cost is only measured (the cost hidden until queried). */
  static final double MEASURED_BETA = 1.0;

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
        + "variable, moving-average baseline momentum 0.9, Adam 0.01, reward = accuracy); PARSEC as the papers run "
        + "it (softmax weights, Adam with momentum 0.9, learningRate 0.1, fixedK = "
        + PARSEC_K
        + "); PARSEC at FP-NAS's start (the core's default update with K fixed at FP-NAS's first K); FP-NAS with "
        + "the core's defaults (K = ceil(1.25 H) down to kMin = 4 as the entropy H falls, rank weights with the "
        + "batch-mean baseline, plain gradient ascent at learningRate 1). For the distribution methods the answer is the mode "
        + "after the last update within the budget, and \"best queried\" the queried architecture with the best "
        + "signal. Cells: held-out accuracy (%) mean ± sd over the seeds. Cost rows: NAS-Bench-Macro within "
        + FLOPS_TARGET / 1e6
        + " M FLOPs and NAS-Bench-201 within "
        + PARAMS_TARGET
        + " M parameters; FP-NAS with the cost known before the query (the table's column: samples and answer "
        + "restricted to the target), with the cost measured (seen only once queried: samples over the target "
        + "ranked below those within it, by their excess) and with the paper's hinge instead (beta = "
        + MEASURED_BETA
        + "), against regularized evolution that never queries an architecture over the target. Samples-to-target: "
        + "the first query count at which the answer's held-out accuracy reaches the target, median over the seeds "
        + "that reach it.";
  }

  @Override
  public Section run(BenchContext context) {
    int seeds = context.size(10, 100);
    TabularBenchmark nb201 = TabularBenchmarks.get(NB201);
    TabularBenchmark macro = TabularBenchmarks.get(MACRO);
    Table table = new Table().column("benchmark").column("method").column("answer");
    for (int b : BUDGETS) {
      table.column(b + " queries");
    }
    Map<String, double[]> means = new LinkedHashMap<>();
    ForkJoinPool pool = new ForkJoinPool(Math.max(1, Runtime.getRuntime().availableProcessors()));
    try {
      for (TabularBenchmark benchmark : List.of(nb201, macro)) {
        Map<String, TabularMethod.Answers[]> byMethod = new LinkedHashMap<>();
        for (TabularMethod method : methods(benchmark.space())) {
          context.progress("%s: %s, %d seeds", benchmark.name(), method.name(), seeds);
          TabularMethod.Answers[] runs = runAll(pool, method, benchmark, seeds);
          dynamics(benchmark, method, runs, byMethod);
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
      costAware(context, pool, table, macro, FLOPS_TARGET, "M FLOPs", 1e6, seeds);
      costAware(context, pool, table, nb201, PARAMS_TARGET, "M parameters", 1, seeds);
    } finally {
      pool.shutdown();
    }
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("seeds", seeds + " (0.." + (seeds - 1) + ") per method and benchmark");
    settings.put("budgets", java.util.Arrays.toString(BUDGETS) + " queries");
    settings.put("FP-NAS", "core defaults");
    settings.put(
        "PARSEC",
        "core defaults, learningRate=0.1, weighting=softmax, adamBeta1=0.9, optimizer=adam,"
            + " baseline=none, fixedK="
            + PARSEC_K);
    settings.put("PARSEC at FP-NAS's start", "core defaults, fixedK = FP-NAS's first K");
    settings.put("samples-to-target", TARGETS.toString());
    settings.put("signal", "one training seed's accuracy; log-likelihood of B=250 images, C=10");
    settings.put(
        "cost-aware",
        "NAS-Bench-Macro "
            + FLOPS_TARGET / 1e6
            + " M FLOPs, NAS-Bench-201 "
            + PARAMS_TARGET
            + " M parameters; costTarget alone (known or measured); hinge: costPenalty=hinge, beta="
            + MEASURED_BETA);
    List<String> findings = findings(means);
    findings.addAll(this.findings);
    return new Section(name(), title(), method(), settings, seeds, table, findings);
  }

  static List<TabularMethod> methods(org.fpnas.core.space.SearchSpace space) {
    int firstK =
        new org.fpnas.core.FpNas(space, org.fpnas.core.Hyperparameters.defaults())
            .initial()
            .sampleCount();
    Map<String, String> parsec = new LinkedHashMap<>(PARSEC);
    parsec.put("optimizer", "adam");
    parsec.put("baseline", "none");
    parsec.put("fixedK", Integer.toString(PARSEC_K));
    return List.of(
        new RandomSearchMethod(),
        new RegularizedEvolution(20, 5, Double.POSITIVE_INFINITY),
        new Reinforce(),
        new DistributionSearch("PARSEC (K = " + PARSEC_K + ")", parsec),
        new DistributionSearch(
            SAME_START + " (K = " + firstK + ")", Map.of("fixedK", Integer.toString(firstK))),
        new DistributionSearch("FP-NAS", FP_NAS));
  }

  /** Findings of the run beyond the accuracy comparison: K, samples-to-target, cost. */
  private final List<String> findings = new ArrayList<>();

  /** K of FP-NAS's iterations (first, median, last; means over seeds) and samples-to-target. */
  private void dynamics(
      TabularBenchmark benchmark,
      TabularMethod method,
      TabularMethod.Answers[] runs,
      Map<String, TabularMethod.Answers[]> byMethod) {
    byMethod.put(method.name(), runs);
    if (method.name().equals("FP-NAS")) {
      double first = 0;
      double median = 0;
      double last = 0;
      for (TabularMethod.Answers run : runs) {
        int[] k = run.sampleCounts();
        first += k[0];
        median += k[k.length / 2];
        last += k[k.length - 1];
      }
      int n = runs.length;
      findings.add(
          String.format(
              Locale.ROOT,
              "%s: FP-NAS's K at the first, median and last iteration (1,600 queries): %.1f, %.1f, %.1f"
                  + " (mean over seeds).",
              benchmark.name(),
              first / n,
              median / n,
              last / n));
      TabularMethod.Answers[] same =
          byMethod.entrySet().stream()
              .filter(e -> e.getKey().startsWith(SAME_START))
              .findFirst()
              .orElseThrow()
              .getValue();
      double target = TARGETS.get(benchmark.name());
      double fp = medianQueries(benchmark, runs, target);
      double parsec = medianQueries(benchmark, same, target);
      findings.add(
          String.format(
              Locale.ROOT,
              "%s: queries until the answer reaches %.2f, median: FP-NAS %.0f (%d of %d seeds"
                  + " reach it), PARSEC at FP-NAS's first K %.0f (%d of %d): %.0f%% fewer.",
              benchmark.name(),
              target,
              fp,
              reached(benchmark, runs, target),
              n,
              parsec,
              reached(benchmark, same, target),
              n,
              100 * (1 - fp / parsec)));
    }
  }

  private static double medianQueries(
      TabularBenchmark benchmark, TabularMethod.Answers[] runs, double target) {
    double[] q =
        java.util.Arrays.stream(runs)
            .mapToInt(r -> r.queriesTo(benchmark, target))
            .filter(x -> x >= 0)
            .asDoubleStream()
            .sorted()
            .toArray();
    if (q.length == 0) {
      return Double.NaN;
    }
    return q.length % 2 == 1 ? q[q.length / 2] : (q[q.length / 2 - 1] + q[q.length / 2]) / 2;
  }

  private static int reached(
      TabularBenchmark benchmark, TabularMethod.Answers[] runs, double target) {
    return (int)
        java.util.Arrays.stream(runs).filter(r -> r.queriesTo(benchmark, target) >= 0).count();
  }

  private void costAware(
      BenchContext context,
      ForkJoinPool pool,
      Table table,
      TabularBenchmark benchmark,
      double costTarget,
      String unit,
      double scale,
      int seeds) {
    String target =
        String.format(Locale.ROOT, "%s ≤ %s %s", benchmark.name(), plain(costTarget / scale), unit);
    Map<String, String> known = new LinkedHashMap<>(FP_NAS);
    known.put("costTarget", Double.toString(costTarget));
    Map<String, String> hinge = new LinkedHashMap<>(known);
    hinge.put("costPenalty", "hinge");
    hinge.put("beta", Double.toString(MEASURED_BETA));
    List<TabularMethod> methods =
        List.of(
            new DistributionSearch("FP-NAS, cost known", known, true),
            new DistributionSearch("FP-NAS, cost measured", known, false),
            new DistributionSearch(
                "FP-NAS, cost measured, hinge (beta = " + MEASURED_BETA + ")", hinge, false),
            new RegularizedEvolution(20, 5, costTarget));
    for (TabularMethod method : methods) {
      context.progress("%s: %s, %d seeds", target, method.name(), seeds);
      TabularMethod.Answers[] runs = runAll(pool, method, benchmark, seeds);
      boolean mode = method.distribution();
      String answer = mode ? "mode" : "best queried";
      for (Metric metric : Metric.values()) {
        row(
            table,
            benchmark,
            method.name(),
            answer + ": " + metric.label(unit),
            runs,
            mode,
            metric,
            target,
            costTarget,
            scale);
      }
    }
    int best = -1;
    for (int r = 0; r < benchmark.size(); r++) {
      if (benchmark.cost(r) <= costTarget
          && (best < 0 || benchmark.heldOut(r) > benchmark.heldOut(best))) {
        best = r;
      }
    }
    String optimum =
        String.format(
            Locale.ROOT,
            "%.2f (%s %s)",
            benchmark.heldOut(best),
            plain(benchmark.cost(best) / scale),
            unit);
    table.row(
        target,
        "optimum within the target",
        benchmark.architecture(best).toString(),
        optimum,
        optimum,
        optimum,
        optimum,
        optimum);
  }

  private static String plain(double value) {
    return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
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
    ACCURACY,
    COST,
    WITHIN;

    String label(String unit) {
      return switch (this) {
        case ACCURACY -> "accuracy";
        case COST -> "cost (" + unit + ")";
        case WITHIN -> "within target (%)";
      };
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
    return row(
        table,
        benchmark,
        method,
        answer,
        runs,
        mode,
        metric,
        benchmark.name(),
        Double.POSITIVE_INFINITY,
        1);
  }

  private static double[] row(
      Table table,
      TabularBenchmark benchmark,
      String method,
      String answer,
      TabularMethod.Answers[] runs,
      boolean mode,
      Metric metric,
      String label,
      double costTarget,
      double scale) {
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
              case COST -> benchmark.cost(r) / scale;
              case WITHIN -> benchmark.cost(r) <= costTarget ? 100 : 0;
            };
      }
      means[j] = Stats.mean(values);
      cells[3 + j] =
          metric == Metric.WITHIN
              ? String.format(Locale.ROOT, "%.0f", means[j])
              : String.format(
                  Locale.ROOT,
                  metric == Metric.COST ? "%.2f ± %.2f" : "%.2f ± %.2f",
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
