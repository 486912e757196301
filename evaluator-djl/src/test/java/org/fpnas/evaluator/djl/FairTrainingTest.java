package org.fpnas.evaluator.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fpnas.core.mbconv.MbConvNetwork;
import org.fpnas.core.mbconv.MbConvSpace;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.SearchSpace;
import org.fpnas.evaluator.api.Measurement;
import org.junit.jupiter.api.Test;

/**
 * What an evaluation trains besides its sample ({@code uniformSteps}) and on which images it scores
 * the sample ({@code fixedValidation}).
 */
class FairTrainingTest {
  private static final long SEED = 42L; // Fixtures.request's search seed
  private final SearchSpace space = Fixtures.fmnist();

  /**
   * With uniform steps an evaluation trains the uniform paths of its place (seed, iteration, index)
   * and the sample's own: values outside all of them stay bit-identical, and values only the
   * uniform paths use change.
   */
  @Test
  void uniformStepsTrainTheirOwnPathsAndNothingElse() {
    Map<String, String> settings = new HashMap<>(Fixtures.SMALL);
    settings.put("trainSteps", "1");
    settings.put("uniformSteps", "2");
    MbConvSpace mb = MbConvSpace.of(space);
    Architecture narrow =
        Fixtures.with(space, Architecture.of(Fixtures.zeros(space)), "s3b2", "skip", "on");
    int iteration = 3;
    int index = 1;
    List<MbConvNetwork> uniform = new ArrayList<>();
    for (int u = 0; u < 2; u++) {
      uniform.add(SearchReplica.uniformPath(mb, BatchPlan.uniformPath(SEED, iteration, index, u)));
    }
    try (SearchReplica replica = replica(settings);
        NDManager manager = NDManager.newBaseManager(DjlRuntime.device())) {
      MbConvSupernet net = replica.supernet();
      Map<String, boolean[]> own = UnusedWeightsTest.usedMask(net, mb.resolve(narrow), manager);
      Map<String, boolean[]> any = new HashMap<>();
      merge(any, own);
      for (MbConvNetwork path : uniform) {
        merge(any, UnusedWeightsTest.usedMask(net, path, manager));
      }
      Map<String, float[]> before = UnusedWeightsTest.snapshot(net);
      Measurement m = replica.evaluate(Fixtures.request(space, narrow, iteration, index, settings));
      assertTrue(m.metrics().get("uniformLoss") > 0, "uniform loss in " + m.metrics());
      Map<String, float[]> after = UnusedWeightsTest.snapshot(net);
      int changedOnlyByUniform = 0;
      for (SharedParameter p : net.parameterList()) {
        float[] x = before.get(p.name());
        float[] y = after.get(p.name());
        boolean[] anyMask = any.get(p.name());
        boolean[] ownMask = own.get(p.name());
        for (int i = 0; i < x.length; i++) {
          boolean used = anyMask != null && anyMask[i];
          if (!used) {
            assertEquals(
                Float.floatToRawIntBits(x[i]),
                Float.floatToRawIntBits(y[i]),
                p.name() + "[" + i + "] is on no trained path but changed");
          } else if ((ownMask == null || !ownMask[i]) && x[i] != y[i]) {
            changedOnlyByUniform++;
          }
        }
      }
      assertTrue(
          changedOnlyByUniform > 1000,
          "values only the uniform paths use were trained: " + changedOnlyByUniform);
    }
  }

  @Test
  void uniformStepsAreAFunctionOfTheSeedAndThePlace() {
    Map<String, String> settings = new HashMap<>(Fixtures.SMALL);
    settings.put("uniformSteps", "2");
    assertEquals(run(settings), run(settings));
  }

  private List<Double> run(Map<String, String> settings) {
    List<Double> out = new ArrayList<>();
    try (DjlEvaluator evaluator = DjlEvaluator.create(Map.of())) {
      for (int k = 0; k < 2; k++) {
        Measurement m =
            evaluator.evaluate(
                Fixtures.request(space, Fixtures.random(space, k + 1), 0, k, settings));
        out.add(m.logLikelihood());
        out.add(m.metrics().getOrDefault("uniformLoss", Double.NaN));
      }
    }
    return out;
  }

  /**
   * With a fixed validation batch every iteration scores on the split's first {@code
   * validationBatch} held-out images, the ones {@code scoreHeldOut} scores first; otherwise each
   * iteration draws its own. A learning rate too small to move a weight keeps the supernet as it
   * was, so that only the images can differ.
   */
  @Test
  void aFixedValidationBatchScoresEveryIterationOnTheSameImages() {
    Map<String, String> frozen = new HashMap<>(Fixtures.SMALL);
    frozen.put("learningRate", "1e-30");
    frozen.put("weightDecay", "0");
    Map<String, String> fixed = new HashMap<>(frozen);
    fixed.put("fixedValidation", "true");
    Architecture a = Fixtures.random(space, 5);
    try (DjlEvaluator evaluator = DjlEvaluator.create(Map.of())) {
      double first = evaluator.evaluate(Fixtures.request(space, a, 0, 0, fixed)).logLikelihood();
      double later = evaluator.evaluate(Fixtures.request(space, a, 7, 0, fixed)).logLikelihood();
      assertEquals(first, later, "iterations 0 and 7 scored different images");
      assertEquals(
          evaluator.scoreHeldOut("test-search", a, 1).logLikelihood(),
          later,
          1e-3,
          "the fixed batch is the held-out split's first");
    }
    try (DjlEvaluator evaluator = DjlEvaluator.create(Map.of())) {
      double first = evaluator.evaluate(Fixtures.request(space, a, 0, 0, frozen)).logLikelihood();
      double later = evaluator.evaluate(Fixtures.request(space, a, 7, 0, frozen)).logLikelihood();
      assertNotEquals(first, later, "each iteration draws its own batch");
    }
  }

  private SearchReplica replica(Map<String, String> settings) {
    DjlSettings parsed = DjlSettings.of(settings, Map.of(), space.network().orElseThrow());
    return new SearchReplica("test-search", SEED, space, parsed, null, "r", Duration.ofMinutes(10));
  }

  private static void merge(Map<String, boolean[]> into, Map<String, boolean[]> masks) {
    for (var e : masks.entrySet()) {
      boolean[] m = into.computeIfAbsent(e.getKey(), k -> new boolean[e.getValue().length]);
      for (int i = 0; i < m.length; i++) {
        m[i] |= e.getValue()[i];
      }
    }
    assertFalse(into.isEmpty());
  }
}
