package org.fpnas.bench.quality;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fpnas.bench.Bench;
import org.fpnas.bench.BenchContext;
import org.fpnas.bench.Section;
import org.fpnas.bench.Summary;
import org.fpnas.bench.SyntheticSpaces;
import org.fpnas.bench.Trajectory;
import org.fpnas.bench.report.Stats;
import org.fpnas.bench.report.Table;
import org.fpnas.core.Distribution;
import org.fpnas.core.FpNas;
import org.fpnas.core.Hyperparameters;
import org.fpnas.core.Landscape;
import org.fpnas.core.Phase;
import org.fpnas.core.SearchSpace;

/**
 * Benchmark 1: FP-NAS's adaptive sample count against PARSEC's fixed K, with the in-process
 * reference loop (which the Kafka pipeline reproduces bit for bit).
 */
public final class AdaptiveSamplingBench implements Bench {
  /** The paper's figures for adaptive sampling against PARSEC. */
  static final String PAPER = "64% fewer samples, 2.1x faster search";

  private static final double NOISE_SIGMA = 0.5;
  private static final long LANDSCAPE_SEED = 7;
  private static final double TARGET_REGRET = 0.5;
  private static final String LEARNING_RATE = "0.1";
  private static final int K0 = 32;
  private static final int K_MIN = 8;
  private static final int K_MAX = 64;
  private static final int[] FIXED_K = {8, 16, K0};
  private static final double EVAL_MS = 100;
  private static final int[] EVALUATORS = {8, 32};

  /**
   * A random landscape of the benchmark: a space of identical layers and an interaction density.
   */
  record Case(String name, int layers, int[] choices, double density) {
    SearchSpace space() {
      return SyntheticSpaces.uniform(name, layers, choices);
    }

    String shape() {
      StringBuilder s = new StringBuilder(layers + "×(");
      for (int i = 0; i < choices.length; i++) {
        s.append(i == 0 ? "" : ",").append(choices[i]);
      }
      return s.append(')').toString();
    }
  }

  static final List<Case> CASES =
      List.of(
          new Case("s6", 6, new int[] {3, 4, 2}, 0.05),
          new Case("m12", 12, new int[] {3, 4, 2}, 0.02),
          new Case("l20", 20, new int[] {3, 3, 2, 2}, 0.01));

  @Override
  public String name() {
    return "adaptive-sampling";
  }

  @Override
  public String title() {
    return "Adaptive sampling vs PARSEC";
  }

  @Override
  public String method() {
    return "FP-NAS with an adaptive sample count (`K = clamp(ceil(λ·H), kMin, kMax)`, λ from `k0`) against PARSEC "
        + "(the same update with a fixed K, three values, one equal to FP-NAS's initial K) on three random landscapes "
        + "of different sizes with pairwise interactions (`Landscape.random`), run by the core's in-process loop "
        + "(`InProcessSearch`), the reference that the Kafka pipeline reproduces bit for bit. Every configuration runs "
        + "with the same search seeds and the same budget of evaluated samples. *Samples to target*: samples evaluated "
        + "until the most likely architecture (the mode) comes within the target regret of the landscape's best and "
        + "stays there until the budget ends; `inf` when that never happens (the median is then `inf` if half the seeds "
        + "miss). *Compute*: the loop's own time (sampling, landscape scoring, update; `System.nanoTime`). *Pipeline "
        + "wall*: what the pipeline needs until the target when each evaluation takes E ms and N evaluators work, "
        + "iterations being synchronous: `Σ_t ceil(K_t/N)·E` (control latency excluded; see control-latency). "
        + "*Final regret*: of the mode when the budget is spent.";
  }

  @Override
  public Section run(BenchContext context) {
    int seeds = context.size(3, 10);
    long budget = context.size(3_000L, 10_000L);
    int maxIterations = Trajectory.iterationsFor(budget, Math.min(K_MIN, FIXED_K[0]));
    Table table =
        new Table()
            .column("landscape")
            .column("method")
            .column("reached")
            .summaryColumn("samples to target", 0)
            .summaryColumn("iterations to target", 0)
            .summaryColumn("compute to target (ms)", 1);
    for (int n : EVALUATORS) {
      table.summaryColumn("pipeline wall N=" + n + " (s)", 1);
    }
    table.summaryColumn("final regret", 3).summaryColumn("mean K", 1);
    List<String> findings = new ArrayList<>();
    for (Case c : CASES) {
      SearchSpace space = c.space();
      Landscape landscape = Landscape.random(space, LANDSCAPE_SEED, c.density(), NOISE_SIGMA);
      landscape.best(); // solved once, outside every timed loop
      warmUp(space, landscape, methods(space, maxIterations).values());
      double h0 = Distribution.uniform(space, Phase.FACTORIZED).entropy();
      String label =
          String.format(
              Locale.ROOT,
              "%s: %s, %d interactions, H0 %.1f nats",
              c.name(),
              c.shape(),
              interactions(landscape),
              h0);
      Map<String, List<Trajectory.Outcome>> byMethod = new LinkedHashMap<>();
      for (Map.Entry<String, Map<String, String>> m : methods(space, maxIterations).entrySet()) {
        context.progress("%s: %s, %s (%d seeds)", name(), c.name(), m.getKey(), seeds);
        List<Trajectory.Outcome> outcomes = new ArrayList<>();
        for (int seed = 0; seed < seeds; seed++) {
          Map<String, String> hp = new LinkedHashMap<>(m.getValue());
          hp.put("seed", Integer.toString(seed));
          outcomes.add(
              Trajectory.run(space, Hyperparameters.fromMap(hp), landscape)
                  .within(budget, TARGET_REGRET));
        }
        byMethod.put(m.getKey(), outcomes);
        List<Object> row =
            new ArrayList<>(
                List.of(
                    label,
                    m.getKey(),
                    reached(outcomes),
                    summary(outcomes, Trajectory.Outcome::samplesToTarget),
                    summary(
                        outcomes,
                        o -> o.reached() ? o.iterationsToTarget() : Double.POSITIVE_INFINITY),
                    summary(outcomes, Trajectory.Outcome::computeMsToTarget)));
        for (int n : EVALUATORS) {
          row.add(summary(outcomes, o -> o.modelMsToTarget(n, EVAL_MS) / 1000));
        }
        row.add(summary(outcomes, Trajectory.Outcome::finalRegret));
        row.add(summary(outcomes, Trajectory.Outcome::meanK));
        table.row(row.toArray());
      }
      findings.add(compare(c.name(), byMethod));
    }
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(
        "landscapes",
        "Landscape.random(space, seed "
            + LANDSCAPE_SEED
            + ", density, sigma "
            + NOISE_SIGMA
            + "): "
            + String.join(
                ", ",
                CASES.stream()
                    .map(c -> c.name() + " " + c.shape() + " density " + c.density())
                    .toList()));
    settings.put("search seeds", "0.." + (seeds - 1));
    settings.put("budget", budget + " samples per search");
    settings.put("target", "regret <= " + TARGET_REGRET + " nats, held until the budget ends");
    settings.put("FP-NAS", "k0=" + K0 + ", kMin=" + K_MIN + ", kMax=" + K_MAX);
    settings.put("PARSEC", "fixedK in " + java.util.Arrays.toString(FIXED_K));
    settings.put(
        "both",
        "learningRate="
            + LEARNING_RATE
            + ", factorized (FD) throughout, maxIterations="
            + maxIterations
            + " (enough to spend the budget)");
    settings.put(
        "pipeline model",
        "E=" + (int) EVAL_MS + " ms per evaluation, N in " + java.util.Arrays.toString(EVALUATORS));
    return new Section(name(), title(), method(), settings, seeds, table, findings);
  }

  /**
   * One untimed search per method, so that the JIT has compiled the loop before the first timed
   * one.
   */
  static void warmUp(
      SearchSpace space, Landscape landscape, java.util.Collection<Map<String, String>> methods) {
    for (Map<String, String> m : methods) {
      Map<String, String> hp = new LinkedHashMap<>(m);
      hp.put("seed", "-1");
      Trajectory.run(space, Hyperparameters.fromMap(hp), landscape);
    }
  }

  private static Map<String, Map<String, String>> methods(SearchSpace space, int maxIterations) {
    Map<String, String> common =
        Map.of(
            "maxIterations",
            Integer.toString(maxIterations),
            "learningRate",
            LEARNING_RATE,
            "factorizedIterations",
            Integer.toString(maxIterations));
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    Map<String, String> adaptive = new LinkedHashMap<>(common);
    adaptive.putAll(
        Map.of(
            "k0",
            Integer.toString(K0),
            "kMin",
            Integer.toString(K_MIN),
            "kMax",
            Integer.toString(K_MAX)));
    double lambda = new FpNas(space, Hyperparameters.fromMap(adaptive)).lambda();
    out.put(String.format(Locale.ROOT, "FP-NAS K=%d→%d (λ=%.2f)", K0, K_MIN, lambda), adaptive);
    for (int k : FIXED_K) {
      Map<String, String> fixed = new LinkedHashMap<>(common);
      fixed.put("fixedK", Integer.toString(k));
      out.put("PARSEC K=" + k + (k == K0 ? " (= K0)" : ""), fixed);
    }
    return out;
  }

  /** The finding of one landscape: FP-NAS against PARSEC at K0 and against the best fixed K. */
  private static String compare(String landscape, Map<String, List<Trajectory.Outcome>> byMethod) {
    List<String> names = new ArrayList<>(byMethod.keySet());
    List<Trajectory.Outcome> fpnas = byMethod.get(names.get(0));
    List<Trajectory.Outcome> parsec =
        byMethod.get(names.stream().filter(n -> n.endsWith("(= K0)")).findFirst().orElseThrow());
    double fewer =
        1
            - Stats.ratio(
                median(fpnas, Trajectory.Outcome::samplesToTarget),
                median(parsec, Trajectory.Outcome::samplesToTarget));
    StringBuilder s = new StringBuilder(landscape + ": ");
    if (Double.isNaN(fewer)) {
      s.append(
          "no comparison: the median seed of FP-NAS or of PARSEC K="
              + K0
              + " did not reach the target within the "
              + "budget (final regrets in the table)");
    } else {
      s.append(
          String.format(
              Locale.ROOT,
              "FP-NAS needed %.0f%% %s samples than PARSEC K=%d to reach the target",
              Math.abs(fewer) * 100,
              fewer >= 0 ? "fewer" : "more",
              K0));
      for (int n : EVALUATORS) {
        double speed =
            Stats.ratio(
                median(parsec, o -> o.modelMsToTarget(n, EVAL_MS)),
                median(fpnas, o -> o.modelMsToTarget(n, EVAL_MS)));
        s.append(
            String.format(
                Locale.ROOT,
                "; pipeline wall at N=%d: %.2fx %s",
                n,
                speed >= 1 ? speed : 1 / speed,
                speed >= 1 ? "faster" : "slower"));
      }
    }
    String bestFixed = null;
    double bestSamples = Double.POSITIVE_INFINITY;
    for (String n : names.subList(1, names.size())) {
      double m = median(byMethod.get(n), Trajectory.Outcome::samplesToTarget);
      if (m < bestSamples) {
        bestSamples = m;
        bestFixed = n;
      }
    }
    double own = median(fpnas, Trajectory.Outcome::samplesToTarget);
    if (bestFixed != null && Double.isFinite(own)) {
      s.append(
          String.format(
              Locale.ROOT,
              " (paper: %s). The most sample-efficient fixed K here, %s, needed %.0f samples "
                  + "to FP-NAS's %.0f.",
              PAPER,
              bestFixed,
              bestSamples,
              own));
    } else {
      s.append(" (paper: " + PAPER + ").");
    }
    return s.toString();
  }

  private static int interactions(Landscape landscape) {
    // The YAML lists one "- {choices: [a, b], value: v}" line per interaction.
    return (int) landscape.toYaml().lines().filter(l -> l.contains("choices: [")).count();
  }

  static String reached(List<Trajectory.Outcome> outcomes) {
    return outcomes.stream().filter(Trajectory.Outcome::reached).count() + "/" + outcomes.size();
  }

  static Summary summary(
      List<Trajectory.Outcome> outcomes,
      java.util.function.ToDoubleFunction<Trajectory.Outcome> f) {
    return Summary.of(outcomes.stream().mapToDouble(f).toArray());
  }

  static double median(
      List<Trajectory.Outcome> outcomes,
      java.util.function.ToDoubleFunction<Trajectory.Outcome> f) {
    return Stats.median(outcomes.stream().mapToDouble(f).toArray());
  }
}
