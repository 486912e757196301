package org.fpnas.bench.quality;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fpnas.bench.Bench;
import org.fpnas.bench.BenchContext;
import org.fpnas.bench.SyntheticSpaces;
import org.fpnas.bench.report.Section;
import org.fpnas.bench.report.Stats;
import org.fpnas.bench.report.Summary;
import org.fpnas.bench.report.Table;
import org.fpnas.core.Distribution;
import org.fpnas.core.FpNas;
import org.fpnas.core.Hyperparameters;
import org.fpnas.core.Phase;
import org.fpnas.core.landscape.Landscape;
import org.fpnas.core.space.SearchSpace;

/**
 * Benchmark 1: FP-NAS's adaptive sample count against PARSEC's fixed K, with the in-process
 * reference loop (which the Kafka pipeline reproduces bit for bit), measured the way the paper
 * compares them (equal schedules: the samples spent and the quality reached) and by samples to a
 * target, each method at the learning rate it does best with on a held-out landscape.
 */
public final class AdaptiveSamplingBench implements Bench {
  /** The paper's figures for adaptive sampling against PARSEC. */
  static final String PAPER = "64% fewer samples than PARSEC at equal quality, 2.1x faster search";

  private static final double NOISE_SIGMA = 0.5;
  private static final long LANDSCAPE_SEED = 7;
  private static final long HELD_OUT_SEED = 1007;
  private static final double TARGET_REGRET = 0.5;
  private static final int K0 = 32;
  private static final int K_MIN = 8;
  private static final int K_MAX = 64;
  private static final int[] FIXED_K = {8, 16, K0};
  private static final double[] LAMBDAS = {0.25, 0.5, 1.0};
  private static final double[] TEMPERATURES = {1, 4, 16};
  private static final double EVAL_MS = 100;
  private static final int[] EVALUATORS = {8, 32};

  static final String EQUAL = "A. equal schedule";
  static final String TO_TARGET = "B. samples to target";
  static final String LAMBDA = "C. λ fixed";
  static final String TEMPERATURE = "D. softmax temperature";
  static final String LEARNING_RATE = "E. learning rate (held out)";

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

  /** A way of choosing K, by name, with the settings that make it. */
  private record Method(String name, Map<String, String> settings) {}

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
    return "FP-NAS with an adaptive sample count (`K = clamp(ceil(λ·H), kMin, kMax)`, λ from `k0` = "
        + K0
        + ", so K starts at 32 on every space) against PARSEC (the same update with a fixed K) on three "
        + "random landscapes of different sizes with pairwise interactions (`Landscape.random`), run by the "
        + "core's in-process loop (`InProcessSearch`), the reference that the Kafka pipeline reproduces bit for "
        + "bit; the core's update (rank weights with the batch-mean baseline, plain gradient ascent), factorized throughout. Every method "
        + "runs at its own learning rate, the one that gave it the lowest sum of the median final regret "
        + "and the median regret under the distribution on a held-out landscape of the same shape (part E: same space, another "
        + "landscape seed, not a test landscape). *A. Equal schedule* (the paper's comparison): every method "
        + "runs the same number of iterations; *samples* is what it spent, *final regret* the regret of the "
        + "mode (the most likely architecture) at the end, *regret under p* the regret expected under the "
        + "final distribution (exact). *B. Samples to target*: a budget of samples, and the samples evaluated "
        + "until the mode comes within the target regret of the best and stays there until the budget ends "
        + "(`inf`: never; the median is then `inf` if half the seeds miss), with the pipeline's wall time for "
        + "them when each evaluation takes E ms and N evaluators work (`Σ_t ceil(K_t/N)·E`, control latency "
        + "excluded). *C. λ fixed*: the same λ on every space, so K follows the space's entropy (`K0 = λ·H0`), "
        + "next to k0 = 32. *D. Softmax temperature*: PARSEC's softmax weights `softmax(ℓ/τ)` instead of "
        + "rank weights, at several τ (rank weights depend only on the order of the log-likelihoods, so τ "
        + "does not apply to them); *mean ESS* is the weights' effective sample size `1/Σω²`. Every cell: "
        + "median over the search seeds (smallest–largest).";
  }

  @Override
  public Section run(BenchContext context) {
    int seeds = context.size(2, 10);
    int iterations = context.size(40, 300);
    long budget = context.size(1_500L, 10_000L);
    double[] learningRates =
        context.size(new double[] {0.5, 1.0}, new double[] {0.25, 0.5, 1.0, 2.0});
    int budgetIterations = Trajectory.iterationsFor(budget, Math.min(K_MIN, FIXED_K[0]));
    Table table =
        new Table()
            .column("part")
            .column("landscape")
            .column("method")
            .column("learning rate", 2)
            .summaryColumn("samples", 0)
            .summaryColumn("final regret", 3)
            .summaryColumn("regret under p", 3)
            .summaryColumn("mean K", 1)
            .summaryColumn("mean ESS", 1)
            .column("reached")
            .summaryColumn("samples to target", 0);
    for (int n : EVALUATORS) {
      table.summaryColumn("pipeline wall N=" + n + " (s)", 1);
    }
    List<String> findings = new ArrayList<>();
    Map<String, String> chosenRates = new LinkedHashMap<>();
    for (Case c : CASES) {
      SearchSpace space = c.space();
      Landscape landscape = Landscape.random(space, LANDSCAPE_SEED, c.density(), NOISE_SIGMA);
      Landscape heldOut = Landscape.random(space, HELD_OUT_SEED, c.density(), NOISE_SIGMA);
      landscape.best(); // solved once, outside every timed loop
      heldOut.best();
      double h0 = Distribution.uniform(space, Phase.FACTORIZED).entropy();
      String label =
          String.format(
              Locale.ROOT,
              "%s: %s, %d interactions, H0 %.1f nats",
              c.name(),
              c.shape(),
              interactions(landscape),
              h0);
      List<Method> methods = kMethods(space);
      warmUp(space, landscape, methods.stream().map(m -> m.settings()).toList());

      // E: each method's learning rate, chosen on the held-out landscape.
      Map<String, Double> rate = new LinkedHashMap<>();
      for (Method m : methods) {
        context.progress(
            "%s: %s, %s, learning rates on the held-out landscape", name(), c.name(), m.name());
        double bestRate = Double.NaN;
        double bestScore = Double.POSITIVE_INFINITY;
        for (double lr : learningRates) {
          List<Trajectory.Outcome> o = equalSchedule(space, heldOut, m, lr, iterations, seeds);
          table.row(row(LEARNING_RATE, heldOutLabel(c, heldOut), m.name(), lr, o));
          // The answer and the distribution it ends with: the mode's regret alone would favour
          // rates too small to concentrate, whose mode is right while the distribution is not.
          double score =
              median(o, Trajectory.Outcome::finalRegret)
                  + median(o, Trajectory.Outcome::finalExpectedRegret);
          if (score < bestScore) {
            bestScore = score;
            bestRate = lr;
          }
        }
        rate.put(m.name(), bestRate);
        chosenRates.put(c.name() + " " + m.name(), Double.toString(bestRate));
      }

      // A: equal schedules.
      Map<String, List<Trajectory.Outcome>> equal = new LinkedHashMap<>();
      for (Method m : methods) {
        context.progress("%s: %s, %s, %d iterations", name(), c.name(), m.name(), iterations);
        List<Trajectory.Outcome> o =
            equalSchedule(space, landscape, m, rate.get(m.name()), iterations, seeds);
        equal.put(m.name(), o);
        table.row(row(EQUAL, label, m.name(), rate.get(m.name()), o));
      }
      findings.add(equalFinding(c.name(), iterations, equal));

      // B: samples to target within a budget of samples.
      Map<String, List<Trajectory.Outcome>> toTarget = new LinkedHashMap<>();
      for (Method m : methods) {
        context.progress("%s: %s, %s, budget %d samples", name(), c.name(), m.name(), budget);
        List<Trajectory.Outcome> o = new ArrayList<>();
        for (int seed = 0; seed < seeds; seed++) {
          o.add(
              Trajectory.run(
                      space, settings(m, rate.get(m.name()), budgetIterations, seed), landscape)
                  .within(budget, TARGET_REGRET));
        }
        toTarget.put(m.name(), o);
        table.row(row(TO_TARGET, label, m.name(), rate.get(m.name()), o));
      }
      findings.add(targetFinding(c.name(), toTarget));

      // C: the same λ on every space.
      double adaptiveRate = rate.get(methods.get(0).name());
      List<String> lambdaParts = new ArrayList<>();
      for (double lambda : LAMBDAS) {
        Method m = lambdaMethod(space, lambda);
        context.progress("%s: %s, %s", name(), c.name(), m.name());
        List<Trajectory.Outcome> o =
            equalSchedule(space, landscape, m, adaptiveRate, iterations, seeds);
        table.row(row(LAMBDA, label, m.name(), adaptiveRate, o));
        lambdaParts.add(
            String.format(
                Locale.ROOT,
                "λ=%s: %s, %.0f samples, final regret %.2f",
                lambda,
                m.name().substring(m.name().indexOf("K=")),
                median(o, o2 -> o2.samples()),
                median(o, Trajectory.Outcome::finalRegret)));
      }
      findings.add(
          c.name()
              + " (λ fixed, "
              + iterations
              + " iterations, learning rate "
              + adaptiveRate
              + "): "
              + String.join("; ", lambdaParts)
              + ".");

      // D: softmax weights at several temperatures.
      List<String> temperatureParts = new ArrayList<>();
      for (Method m : List.of(methods.get(0), methods.get(1), methods.get(methods.size() - 1))) {
        for (double tau : TEMPERATURES) {
          Map<String, String> softmax = new LinkedHashMap<>(m.settings());
          softmax.put("weighting", "softmax");
          softmax.put("temperature", Double.toString(tau));
          Method t = new Method(m.name() + ", softmax τ=" + fmt(tau), softmax);
          context.progress("%s: %s, %s", name(), c.name(), t.name());
          List<Trajectory.Outcome> o =
              equalSchedule(space, landscape, t, rate.get(m.name()), iterations, seeds);
          table.row(row(TEMPERATURE, label, t.name(), rate.get(m.name()), o));
          temperatureParts.add(
              String.format(
                  Locale.ROOT,
                  "%s: ESS %.1f, final regret %.2f",
                  t.name(),
                  median(o, Trajectory.Outcome::meanEffectiveSampleSize),
                  median(o, Trajectory.Outcome::finalRegret)));
        }
      }
      findings.add(
          c.name()
              + " (softmax weights, "
              + iterations
              + " iterations; rank weights in part A): "
              + String.join("; ", temperatureParts)
              + ".");
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
                    .toList())
            + "; held out (learning rates): the same with seed "
            + HELD_OUT_SEED);
    settings.put("search seeds", "0.." + (seeds - 1));
    settings.put("equal schedule", iterations + " iterations");
    settings.put(
        "samples to target",
        "budget "
            + budget
            + " samples per search; target regret <= "
            + TARGET_REGRET
            + " nats, held until the budget ends");
    settings.put("FP-NAS", "k0=" + K0 + ", kMin=" + K_MIN + ", kMax=" + K_MAX);
    settings.put("PARSEC", "fixedK in " + java.util.Arrays.toString(FIXED_K));
    settings.put("λ fixed", "lambda in " + java.util.Arrays.toString(LAMBDAS) + ", kMin=" + K_MIN);
    settings.put("temperatures", java.util.Arrays.toString(TEMPERATURES) + " (weighting=softmax)");
    settings.put("learning rates tried", java.util.Arrays.toString(learningRates));
    settings.put("learning rates chosen", chosenRates.toString());
    settings.put(
        "all",
        "the core's defaults otherwise (weighting=rank, baseline=batch-mean, optimizer=sgd),"
            + " factorized (FD) throughout");
    settings.put(
        "pipeline model",
        "E=" + (int) EVAL_MS + " ms per evaluation, N in " + java.util.Arrays.toString(EVALUATORS));
    return new Section(name(), title(), method(), settings, seeds, table, findings);
  }

  private static String heldOutLabel(Case c, Landscape heldOut) {
    return c.name() + " held out: " + c.shape() + ", " + interactions(heldOut) + " interactions";
  }

  private static String fmt(double x) {
    return x == Math.rint(x) ? Long.toString((long) x) : Double.toString(x);
  }

  /** FP-NAS (K from 32 down to kMin) and PARSEC at each fixed K; FP-NAS first, K0 last. */
  private static List<Method> kMethods(SearchSpace space) {
    List<Method> out = new ArrayList<>();
    Map<String, String> adaptive =
        Map.of(
            "k0",
            Integer.toString(K0),
            "kMin",
            Integer.toString(K_MIN),
            "kMax",
            Integer.toString(K_MAX));
    double lambda = new FpNas(space, Hyperparameters.fromMap(adaptive)).lambda();
    out.add(
        new Method(
            String.format(Locale.ROOT, "FP-NAS K=%d→%d (λ=%.2f)", K0, K_MIN, lambda), adaptive));
    for (int k : FIXED_K) {
      out.add(
          new Method(
              "PARSEC K=" + k + (k == K0 ? " (= K0)" : ""), Map.of("fixedK", Integer.toString(k))));
    }
    return out;
  }

  private static Method lambdaMethod(SearchSpace space, double lambda) {
    Map<String, String> s =
        Map.of(
            "lambda",
            Double.toString(lambda),
            "kMin",
            Integer.toString(K_MIN),
            "kMax",
            Integer.toString(K_MAX));
    FpNas fpNas = new FpNas(space, Hyperparameters.fromMap(s));
    return new Method(
        String.format(
            Locale.ROOT,
            "FP-NAS λ=%s, K=%d→%d",
            fmt(lambda),
            fpNas.sampleCount(Distribution.uniform(space, Phase.FACTORIZED)),
            K_MIN),
        s);
  }

  private static Hyperparameters settings(Method m, double learningRate, int iterations, int seed) {
    Map<String, String> hp = new LinkedHashMap<>(m.settings());
    hp.put("learningRate", Double.toString(learningRate));
    hp.put("maxIterations", Integer.toString(iterations));
    hp.put("factorizedIterations", Integer.toString(iterations + 1)); // FD throughout
    hp.put("seed", Integer.toString(seed));
    return Hyperparameters.fromMap(hp);
  }

  private static List<Trajectory.Outcome> equalSchedule(
      SearchSpace space,
      Landscape landscape,
      Method m,
      double learningRate,
      int iterations,
      int seeds) {
    List<Trajectory.Outcome> out = new ArrayList<>();
    for (int seed = 0; seed < seeds; seed++) {
      out.add(
          Trajectory.run(space, settings(m, learningRate, iterations, seed), landscape)
              .whole(TARGET_REGRET));
    }
    return out;
  }

  private static Object[] row(
      String part, String landscape, String method, double rate, List<Trajectory.Outcome> o) {
    List<Object> row =
        new ArrayList<>(
            List.of(
                part,
                landscape,
                method,
                rate,
                summary(o, x -> x.samples()),
                summary(o, Trajectory.Outcome::finalRegret),
                summary(o, Trajectory.Outcome::finalExpectedRegret),
                summary(o, Trajectory.Outcome::meanK),
                summary(o, Trajectory.Outcome::meanEffectiveSampleSize),
                reached(o),
                summary(o, Trajectory.Outcome::samplesToTarget)));
    for (int n : EVALUATORS) {
      row.add(summary(o, x -> x.modelMsToTarget(n, EVAL_MS) / 1000));
    }
    return row.toArray();
  }

  /** At equal iterations: FP-NAS's samples against K0's, and the quality each ends with. */
  private static String equalFinding(
      String landscape, int iterations, Map<String, List<Trajectory.Outcome>> byMethod) {
    List<String> names = new ArrayList<>(byMethod.keySet());
    List<Trajectory.Outcome> fpnas = byMethod.get(names.get(0));
    StringBuilder s =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%s, equal schedule (%d iterations): FP-NAS spent %.0f samples, final regret %.3f, "
                    + "regret under p %.3f",
                landscape,
                iterations,
                median(fpnas, o -> o.samples()),
                median(fpnas, Trajectory.Outcome::finalRegret),
                median(fpnas, Trajectory.Outcome::finalExpectedRegret)));
    for (String n : names.subList(1, names.size())) {
      List<Trajectory.Outcome> fixed = byMethod.get(n);
      double fewer =
          1 - Stats.ratio(median(fpnas, o -> o.samples()), median(fixed, o -> o.samples()));
      s.append(
          String.format(
              Locale.ROOT,
              "; %s %.0f samples (FP-NAS %.0f%% %s), %.3f, %.3f",
              n,
              median(fixed, o -> o.samples()),
              Math.abs(fewer) * 100,
              fewer >= 0 ? "fewer" : "more",
              median(fixed, Trajectory.Outcome::finalRegret),
              median(fixed, Trajectory.Outcome::finalExpectedRegret)));
    }
    return s.append(" (paper: ").append(PAPER).append(").").toString();
  }

  /** The finding of one landscape: FP-NAS against PARSEC at K0 and against the best fixed K. */
  private static String targetFinding(
      String landscape, Map<String, List<Trajectory.Outcome>> byMethod) {
    List<String> names = new ArrayList<>(byMethod.keySet());
    List<Trajectory.Outcome> fpnas = byMethod.get(names.get(0));
    List<Trajectory.Outcome> parsec =
        byMethod.get(names.stream().filter(n -> n.endsWith("(= K0)")).findFirst().orElseThrow());
    double fewer =
        1
            - Stats.ratio(
                median(fpnas, Trajectory.Outcome::samplesToTarget),
                median(parsec, Trajectory.Outcome::samplesToTarget));
    StringBuilder s = new StringBuilder(landscape + ", samples to target: ");
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
              "FP-NAS needed %.0f%% %s samples than PARSEC K=%d",
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
              ". The most sample-efficient fixed K here, %s, needed %.0f samples to FP-NAS's %.0f.",
              bestFixed,
              bestSamples,
              own));
    } else {
      s.append('.');
    }
    return s.toString();
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
      hp.putIfAbsent("maxIterations", "50");
      hp.putIfAbsent(
          "factorizedIterations", Integer.toString(Integer.parseInt(hp.get("maxIterations")) + 1));
      Trajectory.run(space, Hyperparameters.fromMap(hp), landscape);
    }
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
