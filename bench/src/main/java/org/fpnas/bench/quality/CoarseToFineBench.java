package org.fpnas.bench.quality;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongFunction;
import org.fpnas.bench.Bench;
import org.fpnas.bench.BenchContext;
import org.fpnas.bench.SyntheticSpaces;
import org.fpnas.bench.report.Section;
import org.fpnas.bench.report.Summary;
import org.fpnas.bench.report.Table;
import org.fpnas.core.Distribution;
import org.fpnas.core.Hyperparameters;
import org.fpnas.core.Phase;
import org.fpnas.core.landscape.Landscape;
import org.fpnas.core.space.SearchSpace;

/**
 * Benchmark 2: coarse-to-fine (FD, then JD) against JD only and FD only, switching at a fixed
 * iteration or when the entropy falls below a fraction of the uniform's, with Adam restarted or
 * carried across the switch; on landscapes whose within-layer interactions are bonuses the
 * marginals already point to, and on deceptive ones whose marginals mislead.
 */
public final class CoarseToFineBench implements Bench {
  /** The paper's example layer: five variables with 3, 2, 2, 6 and 10 choices. */
  static final int[] PAPER_LAYER = {3, 2, 2, 6, 10};

  private static final int LAYERS = 4;
  private static final double VALUE_SD = 1.0;
  private static final double INTERACTION_SD = 2.0;
  private static final double MODE_VALUE = 8.0;
  private static final double NOISE_SIGMA = 0.5;
  private static final double TARGET_REGRET = 1.0;
  private static final int SWITCH_AT = 50;

  /** About where the 0.75 entropy switch falls here: separates the criterion from the timing. */
  private static final int EARLY_SWITCH_AT = 12;

  private static final double[] FRACTIONS = {0.75, 0.5, 0.25};

  /** A kind of landscape: its name and how landscape r of a run is built. */
  private record Kind(String name, String description, LongFunction<Landscape> landscape) {}

  /** A representation schedule: its name and the settings that make it. */
  private record Method(String name, Map<String, String> settings) {}

  @Override
  public String name() {
    return "coarse-to-fine";
  }

  @Override
  public String title() {
    return "Coarse-to-fine";
  }

  @Override
  public String method() {
    return "A space of "
        + LAYERS
        + " layers of the paper's example variables (3, 2, 2, 6 and 10 choices: 23 logits per "
        + "layer factorized, 720 joint), on two kinds of landscape with interactions within layers only. "
        + "*Bonus pairs* (`SyntheticSpaces.correlated`): per-choice values ~ N(0, "
        + VALUE_SD
        + "²) and, for every pair of variables of a layer, a bonus |N(0, "
        + INTERACTION_SD
        + "²)| on one combination of their choices, so the marginals already point to the best. "
        + "*Deceptive pairs* (`Landscape.deceptive`, modeValue "
        + MODE_VALUE
        + "): in each layer the 3- and 6-choice variables have two good combinations (worth 8 and "
        + "6.8–7.6 nats; their mixtures nothing, as in XOR) and a decoy choice each worth 2.9–3.5 alone, "
        + "whose marginals are better and which together are a local optimum 1–2.2 nats below the best; "
        + "the 10-choice and binary variables have values ~ N(0, 1). The same FP-NAS settings (the core's "
        + "defaults: rank weights, the batch-mean baseline, plain gradient ascent at learning rate 1, "
        + "K = clamp(ceil(1.25 H), 4, 64), falling with the entropy) and the same number of iterations for every schedule: FD only, JD only, FD then JD at a "
        + "fixed iteration (`factorizedIterations`: the default 50, and 12, about where the 0.75 entropy switch falls) and FD then JD in the update that takes "
        + "the entropy below a fraction of the uniform's (`switchEntropyFraction`), each with Adam's moments "
        + "restarted or carried across the switch (`adamAtSwitch`). One landscape and one search seed per "
        + "repetition. *Final regret*: of the mode after the last iteration; *regret under p*: expected "
        + "under the final distribution (exact); *reached*: the mode came within the target regret and "
        + "stayed until the end; *switched at*: the update after which the distribution was joint; "
        + "*vs default*: on how many landscapes the final regret was lower, higher and equal to that of "
        + "the default schedule (FD → JD at 50, Adam restart) on the same landscape and seed.";
  }

  @Override
  public Section run(BenchContext context) {
    int repetitions = context.size(2, 20);
    int iterations = context.size(30, 300);
    SearchSpace space = SyntheticSpaces.uniform("corr" + LAYERS, LAYERS, PAPER_LAYER);
    long fd = Distribution.parameterCount(space, Phase.FACTORIZED);
    long jd = Distribution.parameterCount(space, Phase.JOINT);
    List<Kind> kinds =
        List.of(
            new Kind(
                "bonus pairs",
                "SyntheticSpaces.correlated(space, 100+r, valueSd "
                    + VALUE_SD
                    + ", interactionSd "
                    + INTERACTION_SD
                    + ", sigma "
                    + NOISE_SIGMA
                    + ")",
                r ->
                    SyntheticSpaces.correlated(
                        space, 100 + r, VALUE_SD, INTERACTION_SD, NOISE_SIGMA)),
            new Kind(
                "deceptive pairs",
                "Landscape.deceptive(space, 200+r, modeValue "
                    + MODE_VALUE
                    + ", sigma "
                    + NOISE_SIGMA
                    + ")",
                r -> Landscape.deceptive(space, 200 + r, MODE_VALUE, NOISE_SIGMA)));
    int switchAt = Math.min(SWITCH_AT, iterations / 2);
    List<Method> methods = methods(iterations, switchAt);
    Table table =
        new Table()
            .column("landscapes")
            .column("method")
            .column("logits")
            .summaryColumn("final regret", 3)
            .summaryColumn("regret under p", 3)
            .column("reached")
            .summaryColumn("samples to target", 0)
            .summaryColumn("switched at", 0)
            .column("vs default: better/worse/equal")
            .summaryColumn("compute to target (ms)", 1);
    String defaultMethod = "FD → JD at " + switchAt + ", Adam restart";
    AdaptiveSamplingBench.warmUp(
        space,
        kinds.get(1).landscape().apply(99),
        methods.stream()
            .map(m -> settings(m, Math.min(iterations, 30), -1))
            .map(Hyperparameters::toMap)
            .toList());
    Map<String, Map<String, List<Trajectory.Outcome>>> byKind = new LinkedHashMap<>();
    for (Kind kind : kinds) {
      List<Landscape> landscapes = new ArrayList<>();
      for (int r = 0; r < repetitions; r++) {
        Landscape landscape = kind.landscape().apply(r);
        landscape.best();
        landscapes.add(landscape);
      }
      Map<String, List<Trajectory.Outcome>> byMethod = new LinkedHashMap<>();
      Map<String, List<Double>> switchedBy = new LinkedHashMap<>();
      for (Method m : methods) {
        context.progress("%s: %s, %s (%d landscapes)", name(), kind.name(), m.name(), repetitions);
        List<Trajectory.Outcome> outcomes = new ArrayList<>();
        List<Double> switched = new ArrayList<>();
        for (int r = 0; r < repetitions; r++) {
          Trajectory t = Trajectory.run(space, settings(m, iterations, r), landscapes.get(r));
          outcomes.add(t.whole(TARGET_REGRET));
          switched.add(t.jointFrom() < 0 ? Double.POSITIVE_INFINITY : (double) t.jointFrom());
        }
        byMethod.put(m.name(), outcomes);
        switchedBy.put(m.name(), switched);
      }
      for (Method m : methods) {
        List<Trajectory.Outcome> outcomes = byMethod.get(m.name());
        table.row(
            kind.name(),
            m.name(),
            m.name().equals("JD only")
                ? Long.toString(jd)
                : m.name().equals("FD only") ? Long.toString(fd) : fd + " → " + jd,
            AdaptiveSamplingBench.summary(outcomes, Trajectory.Outcome::finalRegret),
            AdaptiveSamplingBench.summary(outcomes, Trajectory.Outcome::finalExpectedRegret),
            AdaptiveSamplingBench.reached(outcomes),
            AdaptiveSamplingBench.summary(outcomes, Trajectory.Outcome::samplesToTarget),
            Summary.of(switchedBy.get(m.name())),
            paired(outcomes, byMethod.get(defaultMethod)),
            AdaptiveSamplingBench.summary(outcomes, Trajectory.Outcome::computeMsToTarget));
      }
      byKind.put(kind.name(), byMethod);
    }
    SearchSpace paperLayer = SyntheticSpaces.uniform("paper-layer", 1, PAPER_LAYER);
    long paperJd = Distribution.parameterCount(paperLayer, Phase.JOINT);
    long paperFd = Distribution.parameterCount(paperLayer, Phase.FACTORIZED);
    List<String> findings = new ArrayList<>();
    findings.add(
        String.format(
            Locale.ROOT,
            "Parameters: the paper's example layer (3, 2, 2, 6, 10) needs %d joint and %d "
                + "factorized logits, %.1fx fewer (paper: 720 vs 23, 31x); this %d-layer space %d vs %d.",
            paperJd,
            paperFd,
            (double) paperJd / paperFd,
            LAYERS,
            jd,
            fd));
    for (Map.Entry<String, Map<String, List<Trajectory.Outcome>>> e : byKind.entrySet()) {
      findings.add(regretFinding(e.getKey(), e.getValue()));
    }
    findings.add(overallFinding(byKind, defaultMethod));
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("space", LAYERS + " layers × (3,2,2,6,10)");
    for (Kind k : kinds) {
      settings.put(k.name(), k.description() + ", r = 0.." + (repetitions - 1));
    }
    settings.put("search seeds", "r (one per landscape)");
    settings.put(
        "schedule", iterations + " iterations (K from ceil(1.25 H) down to 4 with the entropy)");
    settings.put("target", "regret <= " + TARGET_REGRET + " nats, held until the end");
    settings.put("FP-NAS", "the core's defaults, maxIterations=" + iterations);
    settings.put(
        "switch",
        "factorizedIterations = "
            + Math.min(EARLY_SWITCH_AT, switchAt)
            + " and "
            + switchAt
            + " (fixed), 0 (JD only), "
            + (iterations + 1)
            + " (FD only, and with switchEntropyFraction in "
            + java.util.Arrays.toString(FRACTIONS)
            + ")");
    return new Section(name(), title(), method(), settings, repetitions, table, findings);
  }

  private static List<Method> methods(int iterations, int switchAt) {
    String never = Integer.toString(iterations + 1); // at maxIterations the last update converts
    List<Method> out = new ArrayList<>();
    out.add(new Method("FD only", Map.of("factorizedIterations", never)));
    out.add(new Method("JD only", Map.of("factorizedIterations", "0")));
    for (int at : new int[] {Math.min(EARLY_SWITCH_AT, switchAt), switchAt}) {
      for (String adam : List.of("restart", "carry")) {
        out.add(
            new Method(
                "FD → JD at " + at + ", Adam " + adam,
                Map.of("factorizedIterations", Integer.toString(at), "adamAtSwitch", adam)));
      }
    }
    for (double f : FRACTIONS) {
      for (String adam : List.of("restart", "carry")) {
        out.add(
            new Method(
                "FD → JD at H < " + f + "·H0, Adam " + adam,
                Map.of(
                    "factorizedIterations",
                    never,
                    "switchEntropyFraction",
                    Double.toString(f),
                    "adamAtSwitch",
                    adam)));
      }
    }
    return out;
  }

  /** On how many landscapes a schedule's final regret was lower, higher or equal to another's. */
  private static String paired(List<Trajectory.Outcome> a, List<Trajectory.Outcome> b) {
    int better = 0;
    int worse = 0;
    for (int r = 0; r < a.size(); r++) {
      double d = a.get(r).finalRegret() - b.get(r).finalRegret();
      // Regrets are sums of values with 3 decimals: closer than this is the same architecture.
      if (d < -1e-9) {
        better++;
      } else if (d > 1e-9) {
        worse++;
      }
    }
    return better + "/" + worse + "/" + (a.size() - better - worse);
  }

  private static Hyperparameters settings(Method m, int iterations, long seed) {
    Map<String, String> hp = new LinkedHashMap<>(m.settings());
    hp.put("maxIterations", Integer.toString(iterations));
    if (Integer.parseInt(hp.get("factorizedIterations")) > iterations) {
      hp.put("factorizedIterations", Integer.toString(iterations + 1));
    }
    hp.put("seed", Long.toString(seed));
    return Hyperparameters.fromMap(hp);
  }

  private static String regretFinding(String kind, Map<String, List<Trajectory.Outcome>> byMethod) {
    List<String> parts = new ArrayList<>();
    String best = null;
    double bestRegret = Double.POSITIVE_INFINITY;
    for (Map.Entry<String, List<Trajectory.Outcome>> e : byMethod.entrySet()) {
      double regret = AdaptiveSamplingBench.median(e.getValue(), Trajectory.Outcome::finalRegret);
      parts.add(
          String.format(
              Locale.ROOT,
              "%s %.3f (%s)",
              e.getKey(),
              regret,
              AdaptiveSamplingBench.reached(e.getValue())));
      if (regret < bestRegret) {
        bestRegret = regret;
        best = e.getKey();
      }
    }
    return kind
        + ", median final regret (target reached): "
        + String.join(", ", parts)
        + "; lowest: "
        + best
        + ".";
  }

  /** Which schedule does best over both kinds: the mean of its median final regrets. */
  private static String overallFinding(
      Map<String, Map<String, List<Trajectory.Outcome>>> byKind, String defaultMethod) {
    Map<String, Double> mean = new LinkedHashMap<>();
    for (Map<String, List<Trajectory.Outcome>> byMethod : byKind.values()) {
      for (Map.Entry<String, List<Trajectory.Outcome>> e : byMethod.entrySet()) {
        double regret = AdaptiveSamplingBench.median(e.getValue(), Trajectory.Outcome::finalRegret);
        mean.merge(e.getKey(), regret / byKind.size(), Double::sum);
      }
    }
    String best = mean.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
    return String.format(
        Locale.ROOT,
        "Across both kinds (mean of the median final regrets): lowest %s (%.3f); %s (the default) "
            + "%.3f.",
        best,
        mean.get(best),
        defaultMethod,
        mean.get(defaultMethod));
  }
}
