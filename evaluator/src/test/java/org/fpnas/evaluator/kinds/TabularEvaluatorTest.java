package org.fpnas.evaluator.kinds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.tabular.TabularBenchmark;
import org.fpnas.core.tabular.TabularBenchmarks;
import org.fpnas.evaluator.api.EvaluationRequest;
import org.fpnas.evaluator.api.Evaluator;
import org.fpnas.evaluator.api.EvaluatorProvider;
import org.fpnas.evaluator.api.Measurement;
import org.fpnas.schemas.DeadLetterRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TabularEvaluatorTest {
  private static Evaluator tabular() {
    return ServiceLoader.load(EvaluatorProvider.class).stream()
        .map(ServiceLoader.Provider::get)
        .filter(p -> p.kind().equals("tabular"))
        .findFirst()
        .orElseThrow()
        .create(Map.of());
  }

  @Test
  void looksUpTheSignalOfTheSamplesTrainingSeedAndNeverTheHeldOutMetric() throws Exception {
    TabularBenchmark nb201 = TabularBenchmarks.get("nasbench201-cifar10");
    Evaluator evaluator = tabular();
    Architecture best = nb201.architecture(nb201.bestRow());
    for (int index = 0; index < 6; index++) {
      Measurement m =
          evaluator.evaluate(
              new EvaluationRequest(
                  "s",
                  4,
                  index,
                  0,
                  best,
                  nb201.space(),
                  11,
                  Map.of("benchmark", "nasbench201-cifar10"),
                  null));
      int seed = nb201.trainingSeed(nb201.bestRow(), 11, 4, index);
      assertEquals(nb201.logLikelihood(nb201.bestRow(), seed), m.logLikelihood());
      assertEquals(nb201.query(best, 11, 4, index), m.logLikelihood());
      assertEquals(nb201.cost(nb201.bestRow()), m.cost());
      assertEquals(seed, m.metrics().get("trainingSeed"));
      assertTrue(
          !m.metrics().containsValue(nb201.heldOut(nb201.bestRow())),
          "no held-out value in " + m.metrics());
    }
  }

  /**
   * A spec written past submit's checks names a file of the evaluator's host: the FAILED result's
   * text (the exception's message, as the worker publishes it) names the setting, and neither the
   * path nor anything of the file.
   */
  @Test
  void aBenchmarkThatIsNotShippedFailsNamingTheSettingAndNothingOfTheHost(@TempDir Path dir)
      throws Exception {
    TabularBenchmark nb201 = TabularBenchmarks.get("nasbench201-cifar10");
    Path file = Files.writeString(dir.resolve("benchmark.yaml"), "name: secret-content\n");
    Evaluator evaluator = tabular();
    for (String value :
        new String[] {file.toString(), dir.toString(), "/etc/passwd", "../x.yaml", "nasbench301"}) {
      Exception e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  evaluator.evaluate(
                      new EvaluationRequest(
                          "s",
                          0,
                          0,
                          0,
                          nb201.architecture(0),
                          nb201.space(),
                          1,
                          Map.of("benchmark", value),
                          null)));
      String failed = DeadLetterRecords.reason(e);
      assertTrue(failed.startsWith("evaluator setting benchmark must name a benchmark"), failed);
      assertTrue(failed.contains("the evaluator operator's to configure"), failed);
      for (String leak : new String[] {value, dir.toString(), "/", "secret-content", "Exception"}) {
        assertFalse(failed.contains(leak), leak + " in: " + failed);
      }
    }
  }
}
