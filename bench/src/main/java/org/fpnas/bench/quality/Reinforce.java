package org.fpnas.bench.quality;

import org.fpnas.core.SplitMix64;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.SearchSpace;
import org.fpnas.core.tabular.TabularBenchmark;

/**
 * REINFORCE (Williams 1992) as NAS-Bench-201 runs it as its RL baseline: a policy of one softmax
 * per variable, one architecture sampled per step, the reward its signal (accuracy as a fraction),
 * the loss {@code −log π(A) · (r − b)} with b an exponential moving average of the rewards
 * (momentum 0.9, bias-corrected, updated with the reward before the step, as in NAS-Bench-201's
 * code), one Adam step (learning rate 0.01) per query. The answer is the policy's most likely
 * architecture.
 */
final class Reinforce implements TabularMethod {
  /** Key of the stream that samples the policy. */
  static final long STREAM = 0x2E1F02CEL;

  static final double LEARNING_RATE = 0.01;
  static final double MOMENTUM = 0.9;

  @Override
  public String name() {
    return "REINFORCE";
  }

  @Override
  public boolean distribution() {
    return true;
  }

  @Override
  public Answers run(TabularBenchmark benchmark, long seed, int[] budgets) {
    SearchSpace space = benchmark.space();
    int layers = space.layerCount();
    double[][][] logits = new double[layers][][];
    double[][][] m = new double[layers][][];
    double[][][] v = new double[layers][][];
    for (int l = 0; l < layers; l++) {
      int variables = space.layer(l).variables().size();
      logits[l] = new double[variables][];
      m[l] = new double[variables][];
      v[l] = new double[variables][];
      for (int j = 0; j < variables; j++) {
        logits[l][j] = new double[space.choiceCount(l, j)];
        m[l][j] = new double[logits[l][j].length];
        v[l][j] = new double[logits[l][j].length];
      }
    }
    TabularQueries queries = new TabularQueries(budgets);
    SplitMix64 random = SplitMix64.seeded(seed, STREAM);
    double numerator = 0;
    double denominator = 0;
    int step = 0;
    queries.answer(benchmark.row(mode(logits)));
    while (!queries.spent()) {
      int[][] choices = new int[layers][];
      for (int l = 0; l < layers; l++) {
        choices[l] = new int[logits[l].length];
        for (int j = 0; j < logits[l].length; j++) {
          choices[l][j] = sample(softmax(logits[l][j]), random.nextDouble());
        }
      }
      int row = benchmark.row(Architecture.of(choices));
      double reward = TabularQueries.signal(benchmark, row, seed, queries.count());
      queries.observe(row, reward);
      numerator = MOMENTUM * numerator + (1 - MOMENTUM) * reward;
      denominator = MOMENTUM * denominator + (1 - MOMENTUM);
      double advantage = reward - numerator / denominator;
      step++;
      for (int l = 0; l < layers; l++) {
        for (int j = 0; j < logits[l].length; j++) {
          double[] p = softmax(logits[l][j]);
          for (int c = 0; c < p.length; c++) {
            // Ascent on advantage · ∇ log π: the gradient of log softmax is 1[c = chosen] − p_c.
            double g = advantage * ((c == choices[l][j] ? 1 : 0) - p[c]);
            m[l][j][c] = 0.9 * m[l][j][c] + 0.1 * g;
            v[l][j][c] = 0.999 * v[l][j][c] + 0.001 * g * g;
            double mHat = m[l][j][c] / (1 - Math.pow(0.9, step));
            double vHat = v[l][j][c] / (1 - Math.pow(0.999, step));
            logits[l][j][c] += LEARNING_RATE * mHat / (Math.sqrt(vHat) + 1e-8);
          }
        }
      }
      queries.answer(benchmark.row(mode(logits)));
    }
    return queries.finish();
  }

  private static Architecture mode(double[][][] logits) {
    int[][] choices = new int[logits.length][];
    for (int l = 0; l < logits.length; l++) {
      choices[l] = new int[logits[l].length];
      for (int j = 0; j < logits[l].length; j++) {
        int best = 0;
        for (int c = 1; c < logits[l][j].length; c++) {
          if (logits[l][j][c] > logits[l][j][best]) {
            best = c;
          }
        }
        choices[l][j] = best;
      }
    }
    return Architecture.of(choices);
  }

  private static double[] softmax(double[] logits) {
    double max = Double.NEGATIVE_INFINITY;
    for (double x : logits) {
      max = Math.max(max, x);
    }
    double[] p = new double[logits.length];
    double sum = 0;
    for (int c = 0; c < p.length; c++) {
      p[c] = Math.exp(logits[c] - max);
      sum += p[c];
    }
    for (int c = 0; c < p.length; c++) {
      p[c] /= sum;
    }
    return p;
  }

  private static int sample(double[] p, double u) {
    double cumulative = 0;
    for (int c = 0; c < p.length - 1; c++) {
      cumulative += p[c];
      if (u < cumulative) {
        return c;
      }
    }
    return p.length - 1;
  }
}
