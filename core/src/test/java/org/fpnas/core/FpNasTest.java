package org.fpnas.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.fpnas.core.landscape.Landscape;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.SearchSpace;
import org.junit.jupiter.api.Test;

class FpNasTest {
  private final SearchSpace tiny = Examples.tiny();
  private final SearchSpace small = Examples.smallSpace();

  private static Hyperparameters hp(String... settings) {
    Hyperparameters hp = Hyperparameters.defaults();
    for (int i = 0; i < settings.length; i += 2) {
      hp = hp.with(settings[i], settings[i + 1]);
    }
    return hp;
  }

  /** Results for the samples of the state's iteration, scored by a function of the index. */
  private static List<Evaluation> results(
      SearchState state,
      long seed,
      java.util.function.IntToDoubleFunction logLikelihood,
      java.util.function.IntToDoubleFunction cost) {
    List<Architecture> samples =
        Sampler.samples(state.distribution(), seed, state.iteration(), state.sampleCount());
    List<Evaluation> out = new ArrayList<>();
    for (int k = 0; k < samples.size(); k++) {
      out.add(
          new Evaluation(k, samples.get(k), logLikelihood.applyAsDouble(k), cost.applyAsDouble(k)));
    }
    return out;
  }

  @Test
  void analyticGradientMatchesFiniteDifferences() {
    for (Phase phase : Phase.values()) {
      Distribution d = Distribution.of(tiny, phase, Examples.randomLogits(tiny, phase, 8, 1.0), 0);
      List<Architecture> samples = Sampler.samples(d, 4, 0, 6);
      double[] weights = {0.5, 0.3, -0.2, 0.25, 0.1, 0.05}; // ω' may be negative
      Architecture[] array = samples.toArray(new Architecture[0]);
      double[][] analytic = Weights.gradient(d, array, weights, false);
      double[][] logits = d.logits();
      double h = 1e-6;
      for (int l = 0; l < logits.length; l++) {
        for (int i = 0; i < logits[l].length; i++) {
          double[][] plus = d.logits();
          double[][] minus = d.logits();
          plus[l][i] += h;
          minus[l][i] -= h;
          double numeric =
              (objective(Distribution.of(tiny, phase, plus, 0), array, weights)
                      - objective(Distribution.of(tiny, phase, minus, 0), array, weights))
                  / (2 * h);
          assertEquals(numeric, analytic[l][i], 1e-7, phase + " layer " + l + " logit " + i);
        }
      }
    }
  }

  @Test
  void batchMeanBaselineIsThePlainGradientOfCentredWeights() {
    // Σ (w_k − w̄)(onehot_k − p) = Σ w_k onehot_k − w̄ Σ onehot_k: centring the weights removes p.
    for (Phase phase : Phase.values()) {
      Distribution d = Distribution.of(tiny, phase, Examples.randomLogits(tiny, phase, 9, 1.0), 0);
      Architecture[] samples = Sampler.samples(d, 5, 0, 4).toArray(new Architecture[0]);
      double[] weights = {0.5, 0.3, -0.2, 0.25};
      double mean = (0.5 + 0.3 - 0.2 + 0.25) / 4;
      double[] centred = new double[4];
      for (int k = 0; k < 4; k++) {
        centred[k] = weights[k] - mean;
      }
      double[][] batchMean = Weights.gradient(d, samples, weights, true);
      double[][] plain = Weights.gradient(d, samples, centred, false);
      for (int l = 0; l < plain.length; l++) {
        assertArrayEquals(plain[l], batchMean[l], 1e-12, phase + " layer " + l);
      }
    }
  }

  private static double objective(Distribution d, Architecture[] samples, double[] weights) {
    double sum = 0;
    for (int k = 0; k < samples.length; k++) {
      sum += weights[k] * d.logProbability(samples[k]);
    }
    return sum;
  }

  @Test
  void importanceAndCostWeights() {
    double[] omega =
        Weights.importance(new double[] {-1000, -1001, -1000}, 1.0, new int[] {0, 1, 2});
    double e = Math.exp(-1);
    assertArrayEquals(new double[] {1 / (2 + e), e / (2 + e), 1 / (2 + e)}, omega, 1e-15);
    double[] hot = Weights.importance(new double[] {-10, -11}, 0.5, new int[] {0, 1});
    assertEquals(1 / (1 + Math.exp(-2)), hot[0], 1e-15);
    assertArrayEquals(
        new double[] {0, 0.25, 0.75},
        Weights.cost(new double[] {90, 150, 250}, 100, new int[] {0, 1, 2}),
        1e-15);
    assertArrayEquals(
        new double[] {0, 0}, Weights.cost(new double[] {50, 100}, 100, new int[] {0, 1}));
  }

  @Test
  void aDominantSampleBecomesMoreLikely() {
    FpNas fpNas =
        new FpNas(small, hp("learningRate", "0.1", "weighting", "softmax", "fixedK", "8"));
    SearchState state = fpNas.initial();
    List<Evaluation> results = results(state, 1, k -> k == 3 ? -10 : -40, k -> 1);
    Architecture dominant = results.get(3).architecture();
    IterationOutcome outcome = fpNas.update(state, results);
    assertTrue(
        outcome.next().distribution().probability(dominant)
            > state.distribution().probability(dominant));
    assertEquals(1.0, outcome.importanceWeights()[3], 1e-12);
    assertEquals(1.0, outcome.effectiveSampleSize(), 1e-9);
  }

  @Test
  void anOverBudgetSampleBecomesLessLikelyWithBeta() {
    FpNas fpNas =
        new FpNas(
            small,
            hp("learningRate", "0.1", "beta", "1.0", "costTarget", "100", "costPenalty", "hinge"));
    SearchState state = fpNas.initial();
    List<Evaluation> results = results(state, 1, k -> -20, k -> k == 2 ? 300 : 50);
    Architecture expensive = results.get(2).architecture();
    IterationOutcome outcome = fpNas.update(state, results);
    assertEquals(1.0, outcome.costWeights()[2]);
    assertTrue(
        outcome.next().distribution().probability(expensive)
            < state.distribution().probability(expensive));

    // The same results without the cost term raise nothing in particular for that sample.
    FpNas blind = new FpNas(small, hp("learningRate", "0.1"));
    IterationOutcome ignored = blind.update(blind.initial(), results);
    assertArrayEquals(new double[state.sampleCount()], ignored.costWeights());
  }

  @Test
  void updateIgnoresTheOrderOfResults() {
    FpNas fpNas = new FpNas(small, hp("learningRate", "0.1", "beta", "0.3", "costTarget", "30"));
    Landscape landscape = Examples.smallLandscape();
    SearchState state = fpNas.initial();
    List<Evaluation> results = new ArrayList<>();
    List<Architecture> samples = Sampler.samples(state.distribution(), 9, 0, state.sampleCount());
    for (int k = 0; k < samples.size(); k++) {
      results.add(
          new Evaluation(
              k,
              samples.get(k),
              landscape.logLikelihood(samples.get(k), 0, k),
              landscape.cost(samples.get(k))));
    }
    IterationOutcome inOrder = fpNas.update(state, results);
    List<Evaluation> shuffled = new ArrayList<>(results);
    Collections.reverse(shuffled);
    Collections.swap(shuffled, 1, 4);
    IterationOutcome outOfOrder = fpNas.update(state, shuffled);
    assertEquals(inOrder, outOfOrder);
    assertEquals(inOrder.next(), outOfOrder.next());
  }

  @Test
  void lostSamplesAreFine() {
    FpNas fpNas = new FpNas(small, hp());
    SearchState state = fpNas.initial();
    List<Evaluation> all = results(state, 2, k -> -20 - k, k -> 10);
    List<Evaluation> some = List.of(all.get(5), all.get(1), all.get(6));
    IterationOutcome outcome = fpNas.update(state, some);
    assertEquals(3, outcome.samplesUsed());
    assertArrayEquals(new int[] {1, 5, 6}, outcome.indices());
    double total = 0;
    for (double w : outcome.importanceWeights()) {
      total += w;
    }
    assertEquals(1.0, total, 1e-12);
    assertEquals(-21.0, outcome.maxLogLikelihood());
    assertEquals((-21.0 - 25.0 - 26.0) / 3, outcome.meanLogLikelihood(), 1e-12);
    assertEquals(10.0, outcome.expectedCost());
  }

  @Test
  void rejectsBadResultsNamingTheSample() {
    FpNas fpNas = new FpNas(small, hp());
    SearchState state = fpNas.initial();
    List<Evaluation> good = results(state, 2, k -> -20, k -> 10);
    Architecture a = good.get(0).architecture();
    Map<String, Evaluation> bad =
        Map.of(
            "non-finite log-likelihood", new Evaluation(4, a, Double.NaN, 1),
            "non-finite log-likelihood ", new Evaluation(4, a, Double.NEGATIVE_INFINITY, 1),
            "invalid cost", new Evaluation(4, a, -3, -1),
            "invalid cost ", new Evaluation(4, a, -3, Double.NaN));
    for (Map.Entry<String, Evaluation> c : bad.entrySet()) {
      List<Evaluation> results = new ArrayList<>(good.subList(0, 4));
      results.add(c.getValue());
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> fpNas.update(state, results));
      assertTrue(
          e.getMessage().contains("sample 4") && e.getMessage().contains(c.getKey().strip()),
          e.getMessage());
    }
    List<Evaluation> twice = List.of(good.get(0), good.get(0));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> fpNas.update(state, twice))
            .getMessage()
            .contains("sample index 0"));
    List<Evaluation> outOfRange = List.of(new Evaluation(state.sampleCount(), a, -1, 1));
    assertThrows(IllegalArgumentException.class, () -> fpNas.update(state, outOfRange));
    assertThrows(IllegalArgumentException.class, () -> fpNas.update(state, List.of()));
    List<Evaluation> foreign = List.of(new Evaluation(0, Architecture.parse("0|0"), -1, 1));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> fpNas.update(state, foreign))
            .getMessage()
            .startsWith("sample 0"));
  }

  @Test
  void adaptiveSampleCountIsClampedCeilOfLambdaTimesEntropy() {
    FpNas fpNas = new FpNas(small, hp("lambda", "0.5", "kMin", "2", "kMax", "9"));
    for (double scale : new double[] {0, 0.5, 1, 2, 4, 8, 30}) {
      Distribution d =
          Distribution.of(
              small,
              Phase.FACTORIZED,
              Examples.randomLogits(small, Phase.FACTORIZED, 17, scale),
              0);
      int expected = (int) Math.max(2, Math.min(9, Math.ceil(0.5 * d.entropy())));
      assertEquals(expected, fpNas.sampleCount(d), "entropy " + d.entropy());
    }
    // Uniform: H = 6 ln 24 = 19.07, so K = ceil(0.25 H) = 5 with lambda 0.25.
    assertEquals(5, new FpNas(small, hp("lambda", "0.25", "kMin", "1")).initial().sampleCount());
    // The defaults: K = ceil(1.25 H) = 24, falling to kMin = 4 as H falls.
    assertEquals(24, new FpNas(small, hp()).initial().sampleCount());
  }

  @Test
  void k0SetsLambdaFromTheUniformEntropy() {
    for (int k0 : new int[] {3, 7, 14, 40}) {
      for (String fd : new String[] {"0", "50"}) {
        FpNas fpNas =
            new FpNas(small, hp("k0", String.valueOf(k0), "kMin", "1", "factorizedIterations", fd));
        assertEquals(k0, fpNas.initial().sampleCount());
        assertEquals(k0 / fpNas.initial().distribution().entropy(), fpNas.lambda(), 1e-15);
      }
    }
    FpNas clamped = new FpNas(small, hp("k0", "3", "kMin", "4"));
    assertEquals(4, clamped.initial().sampleCount());
    FpNas half = new FpNas(tiny, hp("k0", "10", "kMin", "1"));
    Distribution sharper =
        Distribution.of(
            tiny, Phase.FACTORIZED, Examples.randomLogits(tiny, Phase.FACTORIZED, 3, 2.0), 0);
    assertEquals(
        (int) Math.ceil(10 * (sharper.entropy() / half.initial().distribution().entropy())),
        half.sampleCount(sharper));
  }

  @Test
  void fixedKIsAlwaysK() {
    FpNas fpNas = new FpNas(small, hp("fixedK", "3", "kMin", "5", "kMax", "9"));
    assertEquals(3, fpNas.initial().sampleCount());
    Distribution sharp =
        Distribution.of(
            small, Phase.FACTORIZED, Examples.randomLogits(small, Phase.FACTORIZED, 1, 20), 0);
    assertEquals(3, fpNas.sampleCount(sharp));
  }

  @Test
  void switchesToJointAtFactorizedIterationsExactly() {
    FpNas fpNas = new FpNas(small, hp("factorizedIterations", "2", "learningRate", "0.1"));
    SearchState state = fpNas.initial();
    assertEquals(Phase.FACTORIZED, state.distribution().phase());
    state = fpNas.update(state, results(state, 3, k -> -k, k -> 1)).next();
    assertEquals(Phase.FACTORIZED, state.distribution().phase());
    assertEquals(1, state.adamStep());
    SearchState beforeSwitch = state;
    List<Evaluation> results = results(state, 3, k -> -2.0 * k, k -> 1);
    SearchState after = fpNas.update(state, results).next();
    assertEquals(Phase.JOINT, after.distribution().phase());
    assertEquals(2, after.iteration());
    assertEquals(2, after.distribution().version());
    assertEquals(0, after.adamStep());
    for (double[] layer : after.firstMoment()) {
      assertArrayEquals(new double[layer.length], layer);
    }
    // The conversion is exact: the joint distribution equals the factorized update, converted.
    FpNas neverJoint = new FpNas(small, hp("factorizedIterations", "1000", "learningRate", "0.1"));
    Distribution factorized = neverJoint.update(beforeSwitch, results).next().distribution();
    assertEquals(factorized.toJoint(), after.distribution());
    // Joint from the start when factorizedIterations is 0.
    assertEquals(
        Phase.JOINT,
        new FpNas(small, hp("factorizedIterations", "0")).initial().distribution().phase());
  }

  @Test
  void stopsAtMaxIterations() {
    FpNas fpNas = new FpNas(tiny, hp("maxIterations", "2"));
    SearchState state = fpNas.initial();
    state = fpNas.update(state, results(state, 1, k -> -k, k -> 1)).next();
    assertFalse(state.done());
    assertNull(state.stopReason());
    SearchState last = fpNas.update(state, results(state, 1, k -> -k, k -> 1)).next();
    assertTrue(last.done());
    assertEquals(StopReason.MAX_ITERATIONS, last.stopReason());
    assertThrows(
        IllegalStateException.class, () -> fpNas.update(last, results(last, 1, k -> -k, k -> 1)));
  }

  @Test
  void stopsWhenTheEntropyFallsBelowTheThreshold() {
    FpNas fpNas = new FpNas(tiny, hp("entropyStop", "2.5", "learningRate", "0.5"));
    SearchState state = fpNas.initial();
    while (!state.done()) {
      state = fpNas.update(state, results(state, 5, k -> k == 0 ? 0 : -50, k -> 1)).next();
    }
    assertEquals(StopReason.ENTROPY, state.stopReason());
    assertTrue(state.distribution().entropy() < 2.5);
  }

  @Test
  void stopsWhenTheModeHoldsForStableIterations() {
    FpNas fpNas =
        new FpNas(
            tiny,
            hp(
                "stableIterations",
                "3",
                "learningRate",
                "0.3",
                "optimizer",
                "adam",
                "baseline",
                "none"));
    Architecture target = Architecture.parse("2.1|1");
    SearchState state = fpNas.initial();
    int updates = 0;
    while (!state.done()) {
      List<Evaluation> results = new ArrayList<>();
      for (int k = 0; k < state.sampleCount(); k++) {
        results.add(new Evaluation(k, target, -1, 1));
      }
      state = fpNas.update(state, results).next();
      updates++;
    }
    assertEquals(StopReason.MODE_STABLE, state.stopReason());
    assertEquals(3, state.modeStableIterations());
    assertEquals(target, state.distribution().mode());
    assertTrue(updates < 100);
  }

  @Test
  void startFromForksAtAnIteration() {
    FpNas fpNas = new FpNas(small, hp("factorizedIterations", "10", "maxIterations", "20"));
    Distribution d =
        Distribution.of(
            small, Phase.FACTORIZED, Examples.randomLogits(small, Phase.FACTORIZED, 2, 1), 5);
    SearchState early = fpNas.startFrom(d, 4);
    assertEquals(Phase.FACTORIZED, early.distribution().phase());
    assertEquals(4, early.iteration());
    assertEquals(5, early.distribution().version());
    SearchState late = fpNas.startFrom(d, 12);
    assertEquals(d.toJoint(), late.distribution());
    assertTrue(fpNas.startFrom(d, 20).done());
    assertThrows(
        IllegalArgumentException.class,
        () -> fpNas.startFrom(Distribution.uniform(tiny, Phase.FACTORIZED), 0));
  }

  @Test
  void stateRebuildsExactlyFromItsParts() {
    FpNas fpNas = new FpNas(small, hp("learningRate", "0.1"));
    SearchState state = fpNas.initial();
    state = fpNas.update(state, results(state, 3, k -> -3.0 * k, k -> 1)).next();
    SearchState rebuilt =
        SearchState.restore(
            Distribution.of(
                small,
                state.distribution().phase(),
                state.distribution().logits(),
                state.distribution().version()),
            state.firstMoment(),
            state.secondMoment(),
            state.adamStep(),
            state.iteration(),
            state.sampleCount(),
            state.modeStableIterations(),
            state.done(),
            state.stopReason());
    assertEquals(state, rebuilt);
    List<Evaluation> next = results(state, 3, k -> -k, k -> 1);
    assertEquals(fpNas.update(state, next), fpNas.update(rebuilt, next));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            SearchState.restore(
                rebuilt.distribution(),
                rebuilt.firstMoment(),
                rebuilt.secondMoment(),
                1,
                1,
                0,
                0,
                false,
                null));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            SearchState.restore(
                rebuilt.distribution(),
                rebuilt.firstMoment(),
                rebuilt.secondMoment(),
                1,
                1,
                5,
                0,
                true,
                null));
  }

  @Test
  void versionGrowsByOnePerUpdate() {
    FpNas fpNas = new FpNas(tiny, hp("maxIterations", "5", "factorizedIterations", "3"));
    SearchState state = fpNas.initial();
    long version = state.distribution().version();
    while (!state.done()) {
      state = fpNas.update(state, results(state, 4, k -> -k, k -> 1)).next();
      assertEquals(++version, state.distribution().version());
    }
  }

  @Test
  void aSpaceTooLargeForAJointDistributionIsRefusedWhenTheSearchIsCreated() {
    // 3 layers of 2^20 joint choices each: 3 · 2^20 logits, over the 2^21 a joint form may have.
    SearchSpace large = SearchSpace.uniform("large", 3, 32, 32, 32, 32);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new FpNas(large, hp("maxIterations", "100", "factorizedIterations", "50")));
    assertTrue(e.getMessage().contains("layer 'l0' has 1048576 joint choices"), e.getMessage());
    assertTrue(e.getMessage().contains("3145728 logits"), e.getMessage());
    // Factorized only, it never needs the joint form: accepted.
    new FpNas(large, hp("maxIterations", "100", "factorizedIterations", "101"));
    // At factorizedIterations == maxIterations the last update would convert: refused up front.
    assertThrows(
        IllegalArgumentException.class,
        () -> new FpNas(large, hp("maxIterations", "100", "factorizedIterations", "100")));
    // Within the limit (2 · 2^20 = 2^21), joint is fine.
    new FpNas(
        SearchSpace.uniform("fits", 2, 32, 32, 32, 32),
        hp("factorizedIterations", "0", "maxIterations", "1"));
  }

  @Test
  void aTemperatureTooSmallForTheLogLikelihoodsIsNamed() {
    // The smallest temperature the settings take, and log-likelihoods far beyond any data set's.
    FpNas fpNas = new FpNas(tiny, hp("temperature", "1.0E-100", "weighting", "softmax"));
    SearchState state = fpNas.initial();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> fpNas.update(state, results(state, 0, k -> -1e300 - k, k -> 1.0)));
    assertTrue(e.getMessage().contains("'temperature'"), e.getMessage());
  }

  @Test
  void aCostTargetTooSmallForTheCostsIsNamed() {
    // The smallest cost target the settings take, and costs far beyond any network's.
    FpNas fpNas = new FpNas(tiny, hp("beta", "0.5", "costTarget", "1.0E-100"));
    SearchState state = fpNas.initial();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> fpNas.update(state, results(state, 0, k -> -50.0 - k, k -> 1.0e300)));
    assertTrue(e.getMessage().contains("'costTarget'"), e.getMessage());
  }

  @Test
  void lambdaWithK0OnASingleArchitectureSpaceIsNotTheIgnoredSetting() {
    SearchSpace single = SearchSpace.uniform("single", 2, 1);
    FpNas fpNas = new FpNas(single, hp("k0", "12", "lambda", "0.25", "kMin", "1"));
    assertEquals(12, fpNas.sampleCount(fpNas.initial().distribution()));
    // K is k0 whatever the entropy: no lambda describes it, and 0.25 certainly does not.
    assertTrue(Double.isNaN(fpNas.lambda()), "lambda " + fpNas.lambda());
    assertEquals(0.25, new FpNas(single, hp("lambda", "0.25")).lambda());
  }

  @Test
  void stopReasonsKeepTheirWireNames() {
    for (StopReason reason : StopReason.values()) {
      assertEquals(reason, StopReason.fromWire(reason.wireName()));
    }
    assertEquals("max-iterations", StopReason.MAX_ITERATIONS.wireName());
    assertEquals("mode-stable", StopReason.MODE_STABLE.wireName());
    assertEquals("entropy", StopReason.ENTROPY.wireName());
    assertEquals("cancelled", StopReason.CANCELLED.wireName());
    assertNull(StopReason.fromWire(null));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> StopReason.fromWire("bored"));
    assertTrue(e.getMessage().contains("'bored'"), e.getMessage());
  }

  @Test
  void rankWeightsDependOnTheOrderAloneAndFavourTheBest() {
    double[] w = Weights.rank(new double[] {-30, -10, -20, -40});
    assertArrayEquals(w, Weights.rank(new double[] {-300, -100, -200, -400}));
    assertTrue(w[1] > w[2] && w[2] > 0, java.util.Arrays.toString(w));
    assertEquals(0.0, w[0]);
    assertEquals(0.0, w[3]);
    assertEquals(1.0, w[0] + w[1] + w[2] + w[3], 1e-15);
    // Ties are ranked by position, so equal log-likelihoods give a fixed answer.
    double[] tied = Weights.rank(new double[] {-5, -5});
    assertEquals(1.0, tied[0]);
    assertEquals(0.0, tied[1]);
  }

  @Test
  void targetEssWeightsHaveTheTargetEffectiveSampleSizeWhateverTheScale() {
    double[] l = {-50, -51.5, -49, -60, -52, -49.5, -55, -50.2};
    double[] w = Weights.targetEss(l, 0.25);
    double squares = 0;
    for (double x : w) {
      squares += x * x;
    }
    assertEquals(2.0, 1 / squares, 1e-9);
    double[] scaled = new double[l.length];
    for (int k = 0; k < l.length; k++) {
      scaled[k] = 40 * l[k];
    }
    double[] v = Weights.targetEss(scaled, 0.25);
    for (int k = 0; k < l.length; k++) {
      assertEquals(w[k], v[k], 1e-9);
    }
    assertArrayEquals(new double[] {0.5, 0.5}, Weights.targetEss(new double[] {-3, -3}, 0.5));
  }

  @Test
  void anOldRecordReplaysWithTheSoftmaxOfItsDay() {
    Map<String, String> old = new java.util.HashMap<>(hp("learningRate", "0.1").toMap());
    old.remove("weighting");
    old.remove("targetEss");
    FpNas replayed = new FpNas(small, Hyperparameters.fromRecorded(old));
    FpNas softmax = new FpNas(small, hp("learningRate", "0.1", "weighting", "softmax"));
    FpNas today = new FpNas(small, Hyperparameters.fromMap(old));
    SearchState s = replayed.initial();
    List<Evaluation> r = results(s, 0, k -> -40.0 - 3 * k, k -> 1.0);
    assertEquals(softmax.update(s, r).next(), replayed.update(s, r).next());
    assertFalse(today.update(s, r).next().equals(replayed.update(s, r).next()));
  }

  @Test
  void overTheTargetTheLeastOverRanksFirstAndTheLikelihoodNoLonger() {
    // Samples 1 and 3 within the target, 0 and 2 over it; 2 has the best likelihood of all.
    double[] ll = {-10, -30, -1, -20};
    double[] excess = Weights.hinge(new double[] {150, 90, 300, 100}, 100, new int[] {0, 1, 2, 3});
    double[] w = Weights.rank(ll, excess);
    double[] plain = Weights.rank(new double[] {-4, -2, -5, -1});
    // The order is 3, 1, 0, 2: as the plain ranks of likelihoods ordered that way.
    assertArrayEquals(plain, w, 0);
    FpNas fpNas = new FpNas(small, hp("costTarget", "100", "fixedK", "4"));
    SearchState state = fpNas.initial();
    List<Evaluation> results =
        results(state, 1, k -> ll[k], k -> new double[] {150, 90, 300, 100}[k]);
    IterationOutcome outcome = fpNas.update(state, results);
    assertArrayEquals(w, outcome.importanceWeights(), 0);
    assertArrayEquals(new double[4], outcome.costWeights(), "no hinge beside the ranking");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> hp("weighting", "softmax", "costTarget", "100"));
    assertTrue(e.getMessage().contains("'costPenalty'"), e.getMessage());
  }

  @Test
  void anOldRecordReplaysWithTheAdamStepOfItsDay() {
    Map<String, String> old = new java.util.HashMap<>(hp("learningRate", "0.1").toMap());
    old.remove("optimizer");
    old.remove("baseline");
    FpNas replayed = new FpNas(small, Hyperparameters.fromRecorded(old));
    FpNas adam =
        new FpNas(small, hp("learningRate", "0.1", "optimizer", "adam", "baseline", "none"));
    FpNas today = new FpNas(small, Hyperparameters.fromMap(old));
    SearchState s = replayed.initial();
    List<Evaluation> r = results(s, 0, k -> -40.0 - 3 * k, k -> 1.0);
    assertEquals(adam.update(s, r).next(), replayed.update(s, r).next());
    assertFalse(today.update(s, r).next().equals(replayed.update(s, r).next()));
  }

  @Test
  void linearCostWeightsGrowWithTheHingeAndAreNotNormalised() {
    int[] indices = {0, 1, 2};
    // One sample 0.1% over: normalised gives it the whole push, linear a thousandth of 1/n.
    assertArrayEquals(
        new double[] {0, 1, 0}, Weights.cost(new double[] {90, 100.1, 100}, 100, indices, true));
    double[] linear = Weights.cost(new double[] {90, 100.1, 150}, 100, indices, false);
    assertEquals(0.0, linear[0]);
    assertEquals(0.001 / 3, linear[1], 1e-12);
    assertEquals(0.5 / 3, linear[2], 1e-12);
    assertEquals("linear", hp("costWeights", "linear").costWeights());
  }

  @Test
  void switchesToJointInTheUpdateThatTakesTheEntropyBelowTheFraction() {
    FpNas fpNas =
        new FpNas(
            small,
            hp(
                "factorizedIterations", "1000",
                "maxIterations", "1000",
                "switchEntropyFraction", "0.8",
                "learningRate", "0.3",
                "optimizer", "adam"));
    double h0 = fpNas.initial().distribution().entropy();
    SearchState state = fpNas.initial();
    int updates = 0;
    while (state.distribution().phase() == Phase.FACTORIZED) {
      SearchState before = state;
      state = fpNas.update(state, results(state, 5, k -> -k, k -> 1)).next();
      updates++;
      if (state.distribution().phase() == Phase.FACTORIZED) {
        assertTrue(state.distribution().entropy() >= 0.8 * h0, "no switch above the threshold");
      } else {
        // The same update without the threshold stays factorized, its entropy just below it.
        FpNas noThreshold =
            new FpNas(
                small,
                hp("factorizedIterations", "1000", "learningRate", "0.3", "optimizer", "adam"));
        Distribution fd =
            noThreshold.update(before, results(before, 5, k -> -k, k -> 1)).next().distribution();
        assertTrue(fd.entropy() < 0.8 * h0, "switched only below the threshold");
        assertEquals(fd.toJoint(), state.distribution());
        assertEquals(0, state.adamStep(), "Adam restarts by default");
      }
      assertTrue(updates < 100, "the entropy never fell below the threshold");
    }
    assertTrue(updates > 1, "the threshold, not the first update, triggered the switch");
  }

  private Distribution uniformFd() {
    return Distribution.uniform(small, Phase.FACTORIZED);
  }

  @Test
  void aForkBelowTheSwitchEntropyStartsJoint() {
    Distribution sharp =
        Distribution.of(
            small, Phase.FACTORIZED, Examples.randomLogits(small, Phase.FACTORIZED, 1, 20), 0);
    FpNas withThreshold = new FpNas(small, hp("switchEntropyFraction", "0.5"));
    assertEquals(Phase.JOINT, withThreshold.startFrom(sharp, 3).distribution().phase());
    assertEquals(
        Phase.FACTORIZED,
        withThreshold.startFrom(uniformFd(), 3).distribution().phase(),
        "the uniform distribution is above any fraction below 1");
  }

  @Test
  void adamCarriedAcrossTheSwitchSumsTheMomentsIntoTheJointLayout() {
    Hyperparameters restart =
        hp("factorizedIterations", "2", "adamBeta1", "0.9", "optimizer", "adam");
    FpNas restarting = new FpNas(small, restart);
    FpNas carrying = new FpNas(small, restart.with("adamAtSwitch", "carry"));
    FpNas neverJoint = new FpNas(small, restart.with("factorizedIterations", "1000"));
    SearchState state = restarting.initial();
    state = restarting.update(state, results(state, 3, k -> -k, k -> 1)).next();
    List<Evaluation> r = results(state, 3, k -> -2.0 * k, k -> 1);
    SearchState restarted = restarting.update(state, r).next();
    SearchState carried = carrying.update(state, r).next();
    SearchState factorized = neverJoint.update(state, r).next();
    // The distribution is the same either way; only Adam's state differs.
    assertEquals(restarted.distribution(), carried.distribution());
    assertEquals(0, restarted.adamStep());
    assertEquals(2, carried.adamStep());
    double[][] m = carried.firstMoment();
    double[][] v = carried.secondMoment();
    double[][] fdM = factorized.firstMoment();
    double[][] fdV = factorized.secondMoment();
    Layout joint = Layout.of(small, Phase.JOINT);
    Layout fd = Layout.of(small, Phase.FACTORIZED);
    int[] choices = new int[fd.counts[0].length];
    for (int index = 0; index < m[0].length; index++) {
      joint.decode(0, index, choices);
      double sumM = 0;
      double sumV = 0;
      for (int k = 0; k < choices.length; k++) {
        sumM += fdM[0][fd.offsets[0][k] + choices[k]];
        sumV += fdV[0][fd.offsets[0][k] + choices[k]];
      }
      assertEquals(sumM, m[0][index]);
      assertEquals(sumV, v[0][index]);
    }
    assertTrue(java.util.Arrays.stream(v[0]).anyMatch(x -> x > 0), "moments were carried");
    // The next joint steps differ: carried moments scale the step, restarted ones do not.
    List<Evaluation> next = results(carried, 3, k -> -k, k -> 1);
    assertFalse(
        restarting
            .update(restarted, next)
            .next()
            .distribution()
            .equals(carrying.update(carried, next).next().distribution()));
  }

  @Test
  void theNewSwitchSettingsAreValidatedByName() {
    for (String bad : new String[] {"0", "1", "1.5", "-0.1", "x"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> hp("switchEntropyFraction", bad));
      assertTrue(e.getMessage().contains("'switchEntropyFraction'"), e.getMessage());
      assertTrue(e.getMessage().contains("(0, 1)"), e.getMessage());
    }
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> hp("adamAtSwitch", "keep"));
    assertTrue(
        e.getMessage().contains("'adamAtSwitch'") && e.getMessage().contains("restart, carry"),
        e.getMessage());
    assertTrue(hp("switchEntropyFraction", "").switchEntropyFraction().isEmpty());
    // A search that may switch on its entropy may become joint: a space too large is refused.
    SearchSpace large = SearchSpace.uniform("large", 3, 32, 32, 32, 32);
    IllegalArgumentException tooLarge =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new FpNas(
                    large,
                    hp(
                        "maxIterations", "100",
                        "factorizedIterations", "100",
                        "switchEntropyFraction", "0.5")));
    assertTrue(tooLarge.getMessage().contains("switchEntropyFraction 0.5"), tooLarge.getMessage());
  }

  @Test
  void anOldRecordReplaysWithTheSwitchOfItsDay() {
    Map<String, String> old = new java.util.HashMap<>(hp("factorizedIterations", "2").toMap());
    old.remove("switchEntropyFraction");
    old.remove("adamAtSwitch");
    Hyperparameters replayed = Hyperparameters.fromRecorded(old);
    assertTrue(replayed.switchEntropyFraction().isEmpty());
    assertEquals("restart", replayed.adamAtSwitch());
    // Through the switch, the update is the one of the record's day (restart at iteration 2).
    FpNas then =
        new FpNas(
            small,
            hp("factorizedIterations", "2", "adamAtSwitch", "restart")
                .with("switchEntropyFraction", ""));
    FpNas now = new FpNas(small, replayed);
    SearchState a = then.initial();
    SearchState b = now.initial();
    for (int t = 0; t < 4; t++) {
      List<Evaluation> r = results(a, 9, k -> -3.0 * (k % 5), k -> 1);
      a = then.update(a, r).next();
      b = now.update(b, r).next();
      assertEquals(a, b);
    }
  }
}
