package org.fpnas.bench.djl;

import java.util.List;
import java.util.Locale;
import org.fpnas.bench.djl.RankingPicks.Picked;
import org.fpnas.bench.report.RankCorrelation;
import org.fpnas.evaluator.djl.FinalResult;
import org.fpnas.evaluator.djl.HeldOutScore;

/** The findings of {@code supernet-ranking} beside the rank correlations of the supernet. */
final class RankingFindings {
  private RankingFindings() {}

  /**
   * How well the ground truth agrees with itself: the architectures' test accuracies with the
   * ranking seed against the next seed, the ceiling of any ranking by a supernet.
   */
  static List<String> seedToSeed(
      List<Picked> picked, int[] reseeded, FinalResult[] trained, FinalResult[] retrained) {
    if (reseeded.length < 3) {
      return List.of();
    }
    double[] a = new double[reseeded.length];
    double[] b = new double[reseeded.length];
    double gap = 0;
    for (int i = 0; i < reseeded.length; i++) {
      a[i] = trained[reseeded[i]].testAccuracy();
      b[i] = retrained[i].testAccuracy();
      gap += Math.abs(a[i] - b[i]);
    }
    RankCorrelation r = RankCorrelation.of(a, b);
    return List.of(
        String.format(
            Locale.ROOT,
            "Ground truth against itself (%d of them retrained with the next seed: %s): tau %.3f,"
                + " rho %.3f; mean absolute difference in test accuracy %.4f.",
            reseeded.length,
            String.join(
                ", ",
                java.util.Arrays.stream(reseeded).mapToObj(i -> picked.get(i).label()).toList()),
            r.kendallTau(),
            r.spearmanRho(),
            gap / reseeded.length));
  }

  /**
   * The search's answer among random architectures of similar FLOPs, from scratch and by the
   * supernet: how many of them it beats.
   */
  static List<String> amongSimilar(
      HeldOutScore modeScore,
      FinalResult mode,
      HeldOutScore[] similarScores,
      FinalResult[] similar) {
    int n = similar.length;
    int below = 0;
    int belowBySupernet = 0;
    double sum = 0;
    for (int i = 0; i < n; i++) {
      below += similar[i].testAccuracy() < mode.testAccuracy() ? 1 : 0;
      belowBySupernet +=
          similarScores[i].meanLogLikelihood() < modeScore.meanLogLikelihood() ? 1 : 0;
      sum += similar[i].testAccuracy();
    }
    double mean = sum / n;
    double squares = 0;
    for (FinalResult r : similar) {
      squares += (r.testAccuracy() - mean) * (r.testAccuracy() - mean);
    }
    return List.of(
        String.format(
            Locale.ROOT,
            "The mode against %d random architectures within 10%% of its FLOPs, trained the same"
                + " way: test accuracy %.4f against %.4f ± %.4f (mean ± sd), above %d of %d (%.0f"
                + " percentile); the supernet scores it above %d of %d.",
            n,
            mode.testAccuracy(),
            mean,
            n > 1 ? Math.sqrt(squares / (n - 1)) : 0,
            below,
            n,
            100.0 * below / n,
            belowBySupernet,
            n));
  }
}
