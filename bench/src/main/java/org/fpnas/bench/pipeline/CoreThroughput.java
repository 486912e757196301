package org.fpnas.bench.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.fpnas.core.Distribution;
import org.fpnas.core.Evaluation;
import org.fpnas.core.FpNas;
import org.fpnas.core.Hyperparameters;
import org.fpnas.core.Phase;
import org.fpnas.core.Sampler;
import org.fpnas.core.Scorer;
import org.fpnas.core.SearchState;
import org.fpnas.core.SplitMix64;
import org.fpnas.core.landscape.Landscape;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.Layer;
import org.fpnas.core.space.SearchSpace;
import org.fpnas.core.space.Variable;

/**
 * Measures sampling and update throughput on 20-layer spaces (not a test: run it by hand).
 *
 * <pre>
 *   mvn -B -q -DskipTests package
 *   java -cp app/target/fpnas.jar org.fpnas.bench.pipeline.CoreThroughput
 * </pre>
 *
 * Each figure is the best of 5 timed rounds of about 1 s, after 2 s of warm-up, on one thread.
 */
public final class CoreThroughput {
  private static final int K = 16;

  private CoreThroughput() {}

  public static void main(String[] args) {
    List<SearchSpace> spaces =
        List.of(space("20 x (3,3,2,2)", 3, 3, 2, 2), space("20 x (3,2,2,6,10)", 3, 2, 2, 6, 10));
    System.out.println(
        "| space | phase | logits | architectures sampled / s | updates / s (K="
            + K
            + ") | in-process iterations / s (K="
            + K
            + ") |");
    System.out.println("|---|---|---|---|---|---|");
    for (SearchSpace space : spaces) {
      for (Phase phase : Phase.values()) {
        measure(space, phase);
      }
    }
  }

  private static SearchSpace space(String name, int... choiceCounts) {
    List<Layer> layers = new ArrayList<>();
    for (int l = 0; l < 20; l++) {
      List<Variable> variables = new ArrayList<>();
      for (int m = 0; m < choiceCounts.length; m++) {
        List<String> choices = new ArrayList<>();
        for (int c = 0; c < choiceCounts[m]; c++) {
          choices.add(String.valueOf(c));
        }
        variables.add(new Variable("v" + m, choices));
      }
      layers.add(new Layer("b" + l, variables));
    }
    return SearchSpace.of(
        name.replace(" ", "").replace(",", "-").replace("(", "").replace(")", ""), layers);
  }

  private static void measure(SearchSpace space, Phase phase) {
    Hyperparameters hp =
        Hyperparameters.defaults()
            .with("fixedK", String.valueOf(K))
            .with("maxIterations", "1000000000")
            .with("factorizedIterations", phase == Phase.JOINT ? "0" : "1000000000")
            .with("learningRate", "0.05");
    FpNas fpNas = new FpNas(space, hp);
    Landscape landscape = Landscape.random(space, 7, 0.0, 0.5);
    SearchState start = fpNas.initial();
    Distribution d = Distribution.of(space, phase, randomLogits(space, phase, 3), 0);

    double sampled =
        rate(
            () -> {
              int n = 0;
              for (int t = 0; t < 64; t++) {
                n += Sampler.samples(d, 1, t, K).size();
              }
              return n;
            });
    List<Evaluation> results = new ArrayList<>();
    List<Architecture> samples = Sampler.samples(start.distribution(), 1, 0, K);
    for (int k = 0; k < K; k++) {
      results.add(
          new Evaluation(
              k,
              samples.get(k),
              landscape.logLikelihood(samples.get(k), 0, k),
              landscape.cost(samples.get(k))));
    }
    double updates =
        rate(
            () -> {
              for (int i = 0; i < 16; i++) {
                fpNas.update(start, results);
              }
              return 16;
            });
    SearchState[] state = {start};
    Scorer scorer = landscape.asScorer();
    double iterations =
        rate(
            () -> {
              for (int i = 0; i < 8; i++) {
                SearchState s = state[0];
                List<Architecture> drawn =
                    Sampler.samples(s.distribution(), 1, s.iteration(), s.sampleCount());
                List<Evaluation> scored = new ArrayList<>();
                for (int k = 0; k < drawn.size(); k++) {
                  Scorer.Score score = scorer.score(s.iteration(), k, drawn.get(k));
                  scored.add(new Evaluation(k, drawn.get(k), score.logLikelihood(), score.cost()));
                }
                state[0] = fpNas.update(s, scored).next();
              }
              return 8;
            });
    System.out.println(
        String.format(
            Locale.ROOT,
            "| %s | %s | %,d | %,.0f | %,.0f | %,.0f |",
            space.name(),
            phase == Phase.FACTORIZED ? "FD" : "JD",
            d.parameterCount(),
            sampled,
            updates,
            iterations));
  }

  /** Operations per second: best of 5 rounds of about 1 s, after a 2 s warm-up. */
  private static double rate(java.util.function.IntSupplier batch) {
    long warmUpEnd = System.nanoTime() + 2_000_000_000L;
    while (System.nanoTime() < warmUpEnd) {
      batch.getAsInt();
    }
    double best = 0;
    for (int round = 0; round < 5; round++) {
      long start = System.nanoTime();
      long operations = 0;
      long elapsed;
      do {
        operations += batch.getAsInt();
        elapsed = System.nanoTime() - start;
      } while (elapsed < 1_000_000_000L);
      best = Math.max(best, operations * 1e9 / elapsed);
    }
    return best;
  }

  /** Logits drawn from a standard normal, so that sampling is not from the uniform distribution. */
  private static double[][] randomLogits(SearchSpace space, Phase phase, long seed) {
    double[][] logits = Distribution.uniform(space, phase).logits();
    SplitMix64 random = new SplitMix64(seed);
    for (double[] layer : logits) {
      for (int i = 0; i < layer.length; i++) {
        layer[i] = random.nextGaussian();
      }
    }
    return logits;
  }
}
