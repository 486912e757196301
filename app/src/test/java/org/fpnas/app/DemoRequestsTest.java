package org.fpnas.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.fpnas.client.SearchRequest;
import org.fpnas.evaluator.djl.DjlDemoSettings;
import org.junit.jupiter.api.Test;

class DemoRequestsTest {
  @Test
  void theDjlDemoSearchesTheShippedSpaceWithItsOwnSettingsUnderTheUsers() {
    SearchRequest r =
        DemoRequests.of(
            "djl", null, null, Map.of("maxIterations", "7"), Map.of("trainSteps", "3"), 0);
    assertEquals("djl", r.evaluator());
    assertEquals(DjlDemoSettings.SPACE, r.spaceName());
    assertEquals("7", r.settings().get("maxIterations"), "--set wins over the demo's settings");
    DjlDemoSettings.HYPERPARAMETERS.forEach(
        (k, v) -> {
          if (!k.equals("maxIterations")) {
            assertEquals(v, r.settings().get(k), k);
          }
        });
    assertEquals("3", r.evaluatorSettings().get("trainSteps"));
    DjlDemoSettings.EVALUATOR.forEach(
        (k, v) -> {
          if (!k.equals("trainSteps")) {
            assertEquals(v, r.evaluatorSettings().get(k), k);
          }
        });
  }

  @Test
  void theTabularDemoSearchesNasBench201OnItsOwnSpace() {
    SearchRequest r = DemoRequests.of("tabular", null, null, Map.of(), Map.of(), 0);
    assertEquals("nasbench201-cifar10/space.yaml", r.spaceName());
    assertEquals(DemoRequests.TABULAR_BENCHMARK, r.evaluatorSettings().get("benchmark"));
    assertEquals("100", r.settings().get("maxIterations"));
  }

  @Test
  void theBenchmarkDemoSearchesTheShippedLandscape() {
    SearchRequest r = DemoRequests.of("benchmark", null, null, Map.of(), Map.of(), 25);
    assertEquals("small-space.yaml", r.spaceName());
    assertTrue(r.landscapeText() != null && !r.landscapeText().isBlank());
    assertEquals("25", r.evaluatorSettings().get("simulatedMs"));
    assertEquals("100", r.settings().get("maxIterations"));
  }

  @Test
  void badOptionsAndSettingsFailBeforeAnythingStarts() {
    assertMessage(
        () -> DemoRequests.of("magic", null, null, Map.of(), Map.of(), 0),
        "--evaluator must be djl, benchmark or tabular, got 'magic'");
    assertMessage(
        () -> DemoRequests.of("djl", null, Path.of("l.yaml"), Map.of(), Map.of(), 0),
        "--landscape and --simulated-ms are for --evaluator benchmark");
    assertMessage(
        () -> DemoRequests.of("tabular", null, null, Map.of(), Map.of(), 5),
        "--landscape and --simulated-ms are for --evaluator benchmark");
    assertMessage(
        () -> DemoRequests.of("benchmark", Path.of("s.yaml"), null, Map.of(), Map.of(), 0),
        "--space was given without --landscape: the benchmark evaluator needs one");
    assertMessage(
        () -> DemoRequests.of("benchmark", null, null, Map.of(), Map.of(), -1),
        "--simulated-ms must be >= 0, got -1");
    assertMessage(
        () -> DemoRequests.of("djl", null, null, Map.of("temperature", "1e-320"), Map.of(), 0),
        "hyperparameter 'temperature' must be a number >= 1.0E-100, got '1e-320'");
    assertMessage(
        () -> DemoRequests.of("djl", null, null, Map.of(), Map.of("trainSteps", "many"), 0),
        "djl evaluator setting 'trainSteps' must be a whole number in [1, 1000], got 'many'");
  }

  @Test
  void filesOfTheEvaluatorsAreTheirOptionsNotTheSearchsSettings() {
    assertMessage(
        () -> DemoRequests.of("djl", null, null, Map.of(), Map.of("dataDir", "/tmp/fmnist"), 0),
        "--evaluator-set dataDir is not a search's setting: the demo's evaluators read the data"
            + " set from --dataset-dir DIR");
    String path =
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    DemoRequests.of(
                        "tabular", null, null, Map.of(), Map.of("benchmark", "/tmp/b.yaml"), 0))
            .getMessage();
    assertTrue(path.startsWith("evaluator setting benchmark: unknown benchmark"), path);
    assertTrue(path.contains("the evaluator operator's to configure"), path);
  }

  private static void assertMessage(
      org.junit.jupiter.api.function.Executable action, String expected) {
    assertEquals(expected, assertThrows(IllegalArgumentException.class, action).getMessage());
  }
}
