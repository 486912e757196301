package org.fpnas.evaluator.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.fpnas.core.mbconv.FlopsCounter;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.SearchSpace;
import org.fpnas.evaluator.api.EvaluationRequest;
import org.fpnas.evaluator.api.EvaluatorProvider;
import org.fpnas.evaluator.api.Measurement;
import org.fpnas.evaluator.data.DataUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DjlEvaluatorTest {
  private final SearchSpace space = Fixtures.fmnist();

  @TempDir Path temp;

  @Test
  void anEvaluationReportsLikelihoodFlopsAndMetrics() {
    Architecture a = Fixtures.random(space, 3);
    try (DjlEvaluator evaluator = DjlEvaluator.create(Map.of())) {
      Measurement m = evaluator.evaluate(Fixtures.request(space, a, 0, 0, Fixtures.SMALL));
      assertEquals(new FlopsCounter(space).multiplyAdds(a), m.cost());
      // 64 validation images, 10 classes: a summed log-likelihood near 64 * ln(1/10) = -147 at
      // first.
      assertTrue(m.logLikelihood() < 0 && m.logLikelihood() > -64 * 10, "ll " + m.logLikelihood());
      for (String metric :
          List.of(
              "validationAccuracy",
              "trainingLoss",
              "trainMs",
              "validationMs",
              "evaluationMs",
              "parameters")) {
        assertTrue(m.metrics().containsKey(metric), metric + " in " + m.metrics());
      }
      assertFalse(m.metrics().containsKey("warmupSteps"));
    }
  }

  @Test
  void aFixedSeedGivesTheSameEvaluations() {
    List<Architecture> samples =
        List.of(Fixtures.random(space, 1), Fixtures.random(space, 2), Fixtures.widest(space));
    List<Double> first = run(samples);
    List<Double> second = run(samples);
    assertEquals(first, second);
    assertNotEquals(first.get(0), first.get(1));
  }

  private List<Double> run(List<Architecture> samples) {
    List<Double> out = new java.util.ArrayList<>();
    try (DjlEvaluator evaluator = DjlEvaluator.create(Map.of())) {
      for (int k = 0; k < samples.size(); k++) {
        Measurement m =
            evaluator.evaluate(Fixtures.request(space, samples.get(k), 0, k, Fixtures.SMALL));
        out.add(m.logLikelihood());
        out.add(m.metrics().get("trainingLoss"));
      }
    }
    return out;
  }

  @Test
  void theWarmUpRunsBeforeTheFirstSampleAndIsRecorded() {
    Map<String, String> settings = new HashMap<>(Fixtures.SMALL);
    settings.put("warmupSteps", "3");
    try (DjlEvaluator evaluator = DjlEvaluator.create(Map.of())) {
      Measurement first =
          evaluator.evaluate(Fixtures.request(space, Fixtures.random(space, 1), 0, 0, settings));
      Measurement second =
          evaluator.evaluate(Fixtures.request(space, Fixtures.random(space, 2), 0, 1, settings));
      assertEquals(3.0, first.metrics().get("warmupSteps"));
      assertTrue(first.metrics().get("warmupLoss") > 0);
      assertFalse(second.metrics().containsKey("warmupSteps"));
    }
  }

  @Test
  void replicasAverageThroughTheCheckpointDirectoryAndAJoinerStartsFromIt() {
    Map<String, String> settings = new HashMap<>(Fixtures.SMALL);
    settings.put("syncInterval", "1");
    Map<String, String> service = Map.of(DjlEvaluator.CHECKPOINT_DIR, temp.toString());
    EvaluationRequest sampleA = Fixtures.request(space, Fixtures.random(space, 1), 0, 0, settings);
    EvaluationRequest sampleB = Fixtures.request(space, Fixtures.random(space, 2), 0, 1, settings);
    try (DjlEvaluator a = DjlEvaluator.create(service);
        DjlEvaluator b = DjlEvaluator.create(service)) {
      Measurement ma = a.evaluate(sampleA);
      assertEquals(0.0, ma.metrics().get("syncReplicas"), "A is alone at its sync");
      // B joins from A's file, trains on its sample, then averages with A's file.
      Measurement mb = b.evaluate(sampleB);
      assertEquals(1.0, mb.metrics().get("syncReplicas"), "B averages with A");
      Map<String, float[]> wb = weights(b);
      try (DjlEvaluator joiner = DjlEvaluator.create(service)) {
        joiner.evaluate(
            Fixtures.request(
                space,
                Fixtures.random(space, 3),
                0,
                2,
                Map.of(
                    "trainSteps",
                    "1",
                    "batchSize",
                    "16",
                    "validationBatch",
                    "64",
                    "learningRate",
                    "1e-30",
                    "syncInterval",
                    "1000")));
        Map<String, float[]> wj = weights(joiner);
        // The joiner started from B's file (the newest); its one step at a negligible learning
        // rate leaves the weights as they were (running statistics move, weights do not).
        float[] joined = wj.get("s2b1.project.weight");
        float[] fromB = wb.get("s2b1.project.weight");
        for (int i = 0; i < joined.length; i++) {
          assertEquals(fromB[i], joined[i], 1e-6f, "s2b1.project.weight[" + i + "]");
        }
      }
    }
  }

  private static Map<String, float[]> weights(DjlEvaluator evaluator) {
    MbConvSupernet net = evaluator.replica("test-search").supernet();
    Map<String, float[]> out = new HashMap<>();
    for (SharedParameter p : net.parameterList()) {
      out.put(p.name(), p.array().toFloatArray());
    }
    return out;
  }

  /**
   * The worker interrupts an evaluation it gives up at the time limit: training stops at the next
   * step, with the interrupt still set, rather than train on for a result that is discarded.
   */
  @Test
  void anInterruptedEvaluationStopsBetweenSteps() {
    Map<String, String> settings = new HashMap<>(Fixtures.SMALL);
    settings.put("trainSteps", "1000");
    DjlSettings parsed = DjlSettings.of(settings, Map.of(), space.network().orElseThrow());
    try (SearchReplica replica =
        new SearchReplica("test-search", 7, space, parsed, null, "r", Duration.ofMinutes(10))) {
      EvaluationRequest request =
          Fixtures.request(space, Fixtures.random(space, 1), 0, 0, settings);
      Thread.currentThread().interrupt();
      try {
        assertThrows(CancellationException.class, () -> replica.evaluate(request));
        assertTrue(Thread.currentThread().isInterrupted(), "the interrupt stays set");
      } finally {
        Thread.interrupted();
      }
    }
  }

  @Test
  void badSettingsAndMissingDataAreNamed() {
    try (DjlEvaluator evaluator = DjlEvaluator.create(Map.of())) {
      Architecture a = Fixtures.random(space, 1);
      assertTrue(
          assertThrows(
                  IllegalArgumentException.class,
                  () ->
                      evaluator.evaluate(
                          Fixtures.request(space, a, 0, 0, Map.of("trainStep", "3"))))
              .getMessage()
              .startsWith(
                  "unknown djl evaluator setting 'trainStep' (known: trainSteps, batchSize, "));
      assertEquals(
          "djl evaluator setting 'batchSize' must be a whole number in [1, 256], got '0'",
          assertThrows(
                  IllegalArgumentException.class,
                  () ->
                      evaluator.evaluate(
                          Fixtures.request(space, a, 0, 0, Map.of("batchSize", "0"))))
              .getMessage());
      String given =
          assertThrows(
                  IllegalArgumentException.class,
                  () ->
                      evaluator.evaluate(
                          Fixtures.request(space, a, 0, 0, Map.of("dataDir", temp.toString()))))
              .getMessage();
      assertTrue(given.startsWith("evaluator setting dataDir is not a search's"), given);
      assertFalse(given.contains(temp.toString()), given);
    }
  }

  /**
   * The operator's data directory holds no data set: the FAILED result's text (the message) says
   * which data set and setting, not which files of this machine; the cause, for the evaluator's
   * log, does.
   */
  @Test
  void missingDataIsNamedWithoutTheMachinesFiles() {
    try (DjlEvaluator evaluator = DjlEvaluator.create(Map.of("dataDir", temp.toString()))) {
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () ->
                  evaluator.evaluate(
                      Fixtures.request(space, Fixtures.random(space, 1), 0, 0, Fixtures.SMALL)));
      assertTrue(
          e.getMessage().contains("data set fashion-mnist is not available on this machine"),
          e.getMessage());
      assertTrue(e.getMessage().contains("setting dataDir"), e.getMessage());
      assertFalse(e.getMessage().contains(temp.toString()), e.getMessage());
      assertFalse(e.getMessage().contains("/"), e.getMessage());
      DataUnavailableException cause =
          assertInstanceOf(DataUnavailableException.class, e.getCause());
      assertTrue(
          cause.getMessage().contains("apt-get install dataset-fashion-mnist"), cause.getMessage());
    }
  }

  @Test
  void theServiceFindsTheProvider() {
    boolean found = false;
    for (EvaluatorProvider p : java.util.ServiceLoader.load(EvaluatorProvider.class)) {
      found |= p.kind().equals(DjlEvaluator.KIND);
    }
    assertTrue(found);
  }
}
