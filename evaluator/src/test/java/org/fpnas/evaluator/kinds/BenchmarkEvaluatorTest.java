package org.fpnas.evaluator.kinds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.SearchSpace;
import org.fpnas.evaluator.api.EvaluationRequest;
import org.fpnas.evaluator.api.EvaluatorProviders;
import org.junit.jupiter.api.Test;

/** The benchmark kind's bound on simulatedMs, at submit (its provider) and on the evaluator. */
class BenchmarkEvaluatorTest {
  private static final String OVER =
      "benchmark evaluator setting 'simulatedMs' must be a whole number of milliseconds in"
          + " [0, 60000], got '3600000'";

  @Test
  void simulatedMsIsAtMostAMinute() {
    assertEquals(0, BenchmarkEvaluator.simulatedMs(Map.of()));
    assertEquals(60_000, BenchmarkEvaluator.simulatedMs(Map.of("simulatedMs", " 60000 ")));
    assertEquals(
        OVER,
        assertThrows(
                IllegalArgumentException.class,
                () -> BenchmarkEvaluator.simulatedMs(Map.of("simulatedMs", "3600000")))
            .getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> BenchmarkEvaluator.simulatedMs(Map.of("simulatedMs", "-1")));
    assertEquals(
        "unknown benchmark evaluator setting 'trainSteps' (known: simulatedMs)",
        assertThrows(
                IllegalArgumentException.class,
                () -> BenchmarkEvaluator.simulatedMs(Map.of("trainSteps", "5")))
            .getMessage());
  }

  @Test
  void submitRefusesItThroughTheProvider() {
    assertEquals(
        OVER,
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    EvaluatorProviders.validateSearchSettings(
                        BenchmarkEvaluator.KIND, Map.of("simulatedMs", "3600000")))
            .getMessage());
    EvaluatorProviders.validateSearchSettings(
        BenchmarkEvaluator.KIND, Map.of("simulatedMs", "200"));
  }

  @Test
  void theEvaluatorRefusesItBeforeSleeping() {
    SearchSpace space =
        SearchSpace.parse("name: s\nlayers:\n  - name: l0\n    variables:\n      a: [x, y]\n", "s");
    EvaluationRequest request =
        new EvaluationRequest(
            "s",
            0,
            0,
            0,
            Architecture.of(new int[][] {{0}}),
            space,
            1,
            Map.of("simulatedMs", "3600000"),
            "base: 0\n");
    try (BenchmarkEvaluator evaluator = new BenchmarkEvaluator()) {
      assertEquals(
          OVER,
          assertThrows(IllegalArgumentException.class, () -> evaluator.evaluate(request))
              .getMessage());
    }
  }
}
