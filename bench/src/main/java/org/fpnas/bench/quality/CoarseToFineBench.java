package org.fpnas.bench.quality;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fpnas.bench.Bench;
import org.fpnas.bench.BenchContext;
import org.fpnas.bench.Section;
import org.fpnas.bench.SyntheticSpaces;
import org.fpnas.bench.Trajectory;
import org.fpnas.bench.report.Table;
import org.fpnas.core.Distribution;
import org.fpnas.core.Hyperparameters;
import org.fpnas.core.Landscape;
import org.fpnas.core.Phase;
import org.fpnas.core.SearchSpace;

/**
 * Benchmark 2: coarse-to-fine (FD, then JD) against JD only and FD only, on correlated variables.
 */
public final class CoarseToFineBench implements Bench {
  /** The paper's example layer: five variables with 3, 2, 2, 6 and 10 choices. */
  static final int[] PAPER_LAYER = {3, 2, 2, 6, 10};

  private static final int LAYERS = 4;
  private static final double VALUE_SD = 1.0;
  private static final double INTERACTION_SD = 2.0;
  private static final double NOISE_SIGMA = 0.5;
  private static final double TARGET_REGRET = 1.0;
  private static final int SWITCH_AT = 50;
  private static final Map<String, String> FP_NAS =
      Map.of("k0", "32", "kMin", "8", "kMax", "64", "learningRate", "0.1");

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
        + "layer factorized, 720 joint) on landscapes whose variables are correlated within a layer: per-choice values "
        + "~ N(0, "
        + VALUE_SD
        + "²) and, for every pair of variables of a layer, a bonus |N(0, "
        + INTERACTION_SD
        + "²)| for one combination of their choices, so each layer's best is a combination. Three representations with "
        + "the same FP-NAS settings and budget: FD for "
        + SWITCH_AT
        + " iterations then exact conversion to JD "
        + "(coarse-to-fine), JD from the start, FD throughout. One landscape and one search seed per repetition. "
        + "Samples to target and final regret as in adaptive-sampling; parameter counts from "
        + "`Distribution.parameterCount`.";
  }

  @Override
  public Section run(BenchContext context) {
    int repetitions = context.size(3, 10);
    long budget = context.size(3_000L, 8_000L);
    int maxIterations = Trajectory.iterationsFor(budget, Integer.parseInt(FP_NAS.get("kMin")));
    SearchSpace space = SyntheticSpaces.uniform("corr" + LAYERS, LAYERS, PAPER_LAYER);
    long fd = Distribution.parameterCount(space, Phase.FACTORIZED);
    long jd = Distribution.parameterCount(space, Phase.JOINT);
    Map<String, Integer> switchAt = new LinkedHashMap<>();
    switchAt.put("FD → JD at " + SWITCH_AT + " (coarse-to-fine)", SWITCH_AT);
    switchAt.put("JD only", 0);
    switchAt.put("FD only", maxIterations);
    Map<String, String> logits =
        Map.of(
            "FD → JD at " + SWITCH_AT + " (coarse-to-fine)",
            fd + " → " + jd,
            "JD only",
            Long.toString(jd),
            "FD only",
            Long.toString(fd));
    Table table =
        new Table()
            .column("method")
            .column("logits")
            .column("reached")
            .summaryColumn("samples to target", 0)
            .summaryColumn("compute to target (ms)", 1)
            .summaryColumn("final regret", 3)
            .summaryColumn("mean K", 1);
    Map<String, List<Trajectory.Outcome>> byMethod = new LinkedHashMap<>();
    Landscape warmUpLandscape =
        SyntheticSpaces.correlated(space, 99, VALUE_SD, INTERACTION_SD, NOISE_SIGMA);
    AdaptiveSamplingBench.warmUp(
        space,
        warmUpLandscape,
        switchAt.values().stream().map(f -> settings(maxIterations, f)).toList());
    for (Map.Entry<String, Integer> m : switchAt.entrySet()) {
      context.progress("%s: %s (%d landscapes)", name(), m.getKey(), repetitions);
      List<Trajectory.Outcome> outcomes = new ArrayList<>();
      for (int r = 0; r < repetitions; r++) {
        Landscape landscape =
            SyntheticSpaces.correlated(space, 100 + r, VALUE_SD, INTERACTION_SD, NOISE_SIGMA);
        landscape.best();
        Map<String, String> hp = settings(maxIterations, m.getValue());
        hp.put("seed", Integer.toString(r));
        outcomes.add(
            Trajectory.run(space, Hyperparameters.fromMap(hp), landscape)
                .within(budget, TARGET_REGRET));
      }
      byMethod.put(m.getKey(), outcomes);
      table.row(
          m.getKey(),
          logits.get(m.getKey()),
          AdaptiveSamplingBench.reached(outcomes),
          AdaptiveSamplingBench.summary(outcomes, Trajectory.Outcome::samplesToTarget),
          AdaptiveSamplingBench.summary(outcomes, Trajectory.Outcome::computeMsToTarget),
          AdaptiveSamplingBench.summary(outcomes, Trajectory.Outcome::finalRegret),
          AdaptiveSamplingBench.summary(outcomes, Trajectory.Outcome::meanK));
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
    findings.add(regretFinding(byMethod));
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("space", LAYERS + " layers × (3,2,2,6,10)");
    settings.put(
        "landscapes",
        "SyntheticSpaces.correlated(space, 100+r, valueSd "
            + VALUE_SD
            + ", interactionSd "
            + INTERACTION_SD
            + ", sigma "
            + NOISE_SIGMA
            + "), r = 0.."
            + (repetitions - 1));
    settings.put("search seeds", "r (one per landscape)");
    settings.put("budget", budget + " samples per search");
    settings.put("target", "regret <= " + TARGET_REGRET + " nats, held until the budget ends");
    settings.put(
        "FP-NAS", "k0=32, kMin=8, kMax=64, learningRate=0.1, maxIterations=" + maxIterations);
    settings.put(
        "factorizedIterations",
        SWITCH_AT + " (coarse-to-fine), 0 (JD only), " + maxIterations + " (FD only)");
    return new Section(name(), title(), method(), settings, repetitions, table, findings);
  }

  private static Map<String, String> settings(int maxIterations, int factorizedIterations) {
    Map<String, String> hp = new LinkedHashMap<>(FP_NAS);
    hp.put("maxIterations", Integer.toString(maxIterations));
    hp.put("factorizedIterations", Integer.toString(factorizedIterations));
    return hp;
  }

  private static String regretFinding(Map<String, List<Trajectory.Outcome>> byMethod) {
    StringBuilder s = new StringBuilder("Median final regret: ");
    List<String> parts = new ArrayList<>();
    String best = null;
    double bestRegret = Double.POSITIVE_INFINITY;
    for (Map.Entry<String, List<Trajectory.Outcome>> e : byMethod.entrySet()) {
      double regret = AdaptiveSamplingBench.median(e.getValue(), Trajectory.Outcome::finalRegret);
      parts.add(
          String.format(
              Locale.ROOT,
              "%s %.3f (target reached %s)",
              e.getKey(),
              regret,
              AdaptiveSamplingBench.reached(e.getValue())));
      if (regret < bestRegret) {
        bestRegret = regret;
        best = e.getKey();
      }
    }
    return s.append(String.join(", ", parts))
        .append("; lowest: ")
        .append(best)
        .append('.')
        .toString();
  }
}
