package org.fpnas.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Measures sampling and update throughput on 20-layer spaces (not a test: run it by hand).
 *
 * <pre>
 *   mvn -o -q -pl core test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp
 *   java -cp core/target/classes:core/target/test-classes:$(cat /tmp/cp) \
 *       org.fpnas.core.CoreThroughput
 * </pre>
 * Each figure is the best of 5 timed rounds of about 1 s, after 2 s of warm-up, on one thread.
 */
public final class CoreThroughput {
  private static final int K = 16;

  private CoreThroughput() {}

  public static void main(String[] args) {
    List<SearchSpace> spaces = List.of(space("20 x (3,3,2,2)", 3, 3, 2, 2),
        space("20 x (3,2,2,6,10)", 3, 2, 2, 6, 10));
    System.out.println("| space | phase | logits | architectures sampled / s | updates / s (K="
        + K + ") | in-process iterations / s (K=" + K + ") |");
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
    return SearchSpace.of(name.replace(" ", "").replace(",", "-").replace("(", "")
        .replace(")", ""), layers);
  }

  private static void measure(SearchSpace space, Phase phase) {
    Hyperparameters hp = Hyperparameters.defaults().with("fixedK", String.valueOf(K))
        .with("maxIterations", "1000000000")
        .with("factorizedIterations", phase == Phase.JOINT ? "0" : "1000000000")
        .with("learningRate", "0.05");
    FpNas fpNas = new FpNas(space, hp);
    Landscape landscape = Landscape.random(space, 7, 0.0, 0.5);
    SearchState start = fpNas.initial();
    Distribution d = Distribution.of(space, phase,
        Examples.randomLogits(space, phase, 3, 1.0), 0);

    double sampled = rate(() -> {
      int n = 0;
      for (int t = 0; t < 64; t++) {
        n += Sampler.samples(d, 1, t, K).size();
      }
      return n;
    });
    List<Evaluation> results = new ArrayList<>();
    List<Architecture> samples = Sampler.samples(start.distribution(), 1, 0, K);
    for (int k = 0; k < K; k++) {
      results.add(new Evaluation(k, samples.get(k), landscape.logLikelihood(samples.get(k), 0, k),
          landscape.cost(samples.get(k))));
    }
    double updates = rate(() -> {
      for (int i = 0; i < 16; i++) {
        fpNas.update(start, results);
      }
      return 16;
    });
    SearchState[] state = {start};
    Scorer scorer = landscape.asScorer();
    double iterations = rate(() -> {
      for (int i = 0; i < 8; i++) {
        SearchState s = state[0];
        List<Architecture> drawn = Sampler.samples(s.distribution(), 1, s.iteration(),
            s.sampleCount());
        List<Evaluation> scored = new ArrayList<>();
        for (int k = 0; k < drawn.size(); k++) {
          Scorer.Score score = scorer.score(s.iteration(), k, drawn.get(k));
          scored.add(new Evaluation(k, drawn.get(k), score.logLikelihood(), score.cost()));
        }
        state[0] = fpNas.update(s, scored).next();
      }
      return 8;
    });
    System.out.println(String.format(Locale.ROOT, "| %s | %s | %,d | %,.0f | %,.0f | %,.0f |",
        space.name(), phase == Phase.FACTORIZED ? "FD" : "JD", d.parameterCount(), sampled,
        updates, iterations));
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
}
