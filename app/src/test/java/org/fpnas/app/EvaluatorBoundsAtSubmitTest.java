package org.fpnas.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.fpnas.client.SearchRequest;
import org.fpnas.client.SearchSpecs;
import org.junit.jupiter.api.Test;

/**
 * Submit, with the built-in kinds on its class path as in the fpnas jar, refuses a search whose
 * evaluator settings ask more of one evaluation than the shared pool allows, before anything is
 * published; the error names the setting, the value and the bound.
 */
class EvaluatorBoundsAtSubmitTest {
  @Test
  void aDjlSearchOverABoundIsRefused() {
    SearchRequest request =
        new SearchRequest("fbnet-fmnist.yaml", TextFiles.example("fbnet-fmnist.yaml"))
            .evaluator("djl")
            .evaluatorSetting("trainSteps", "1000000");
    assertEquals(
        "djl evaluator setting 'trainSteps' must be a whole number in [1, 1000], got '1000000'",
        assertThrows(IllegalArgumentException.class, () -> SearchSpecs.validate(request, 0L))
            .getMessage());
    SearchSpecs.validate(request.evaluatorSetting("trainSteps", "1000"), 0L);
  }

  @Test
  void aBenchmarkSearchOverTheSimulatedTimeBoundIsRefused() {
    SearchRequest request =
        new SearchRequest("small-space.yaml", TextFiles.example("small-space.yaml"))
            .landscape(TextFiles.example("small-landscape.yaml"))
            .evaluatorSetting("simulatedMs", "3600000");
    assertEquals(
        "benchmark evaluator setting 'simulatedMs' must be a whole number of milliseconds in"
            + " [0, 60000], got '3600000'",
        assertThrows(IllegalArgumentException.class, () -> SearchSpecs.validate(request, 0L))
            .getMessage());
  }
}
