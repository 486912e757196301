package org.fpnas.evaluator.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.fpnas.core.space.Network;
import org.junit.jupiter.api.Test;

class DjlSettingsTest {
  private static final Network FMNIST = new Network(28, 28, 1, 10, 8, 1, 3, 0);

  @Test
  void theDataDirectoryIsTheServicesAlone() {
    assertEquals(
        Path.of("/srv/data"),
        DjlSettings.of(Map.of(), Map.of("dataDir", " /srv/data "), FMNIST).dataDir());
    assertNull(DjlSettings.of(Map.of(), Map.of(), FMNIST).dataDir());
    assertFalse(DjlSettings.NAMES.contains("dataDir"));
    for (Map<String, String> service :
        java.util.List.of(Map.<String, String>of(), Map.of("dataDir", "/srv/data"))) {
      String refused =
          assertThrows(
                  IllegalArgumentException.class,
                  () -> DjlSettings.of(Map.of("dataDir", "/etc/ssh"), service, FMNIST))
              .getMessage();
      assertTrue(refused.startsWith("evaluator setting dataDir is not a search's"), refused);
      assertTrue(refused.contains("the evaluator operator's to configure"), refused);
      assertFalse(refused.contains("/etc/ssh") || refused.contains("/srv/data"), refused);
    }
    assertThrows(
        IllegalArgumentException.class, () -> DjlSettings.validate(Map.of("dataDir", "x")));
  }

  /**
   * What scales one evaluation's time or memory is bounded for the shared pool; a value over a
   * bound is refused naming the setting, the value and the bound, by the evaluator and, through the
   * provider, at submit.
   */
  @Test
  void whatScalesAnEvaluationIsBounded() {
    Map<String, Integer> maxima =
        Map.of(
            "trainSteps", DjlSettings.MAX_TRAIN_STEPS,
            "warmupSteps", DjlSettings.MAX_WARMUP_STEPS,
            "batchSize", DjlSettings.MAX_BATCH_SIZE,
            "validationBatch", DjlSettings.MAX_VALIDATION_BATCH);
    DjlEvaluator.Provider provider = new DjlEvaluator.Provider();
    maxima.forEach(
        (name, max) -> {
          DjlSettings.validate(Map.of(name, Integer.toString(max)));
          provider.validateSearchSettings(Map.of(name, Integer.toString(max)));
          int min = name.equals("warmupSteps") ? 0 : 1;
          String expected =
              "djl evaluator setting '"
                  + name
                  + "' must be a whole number in ["
                  + min
                  + ", "
                  + max
                  + "], got '"
                  + (max + 1)
                  + "'";
          Map<String, String> over = Map.of(name, Integer.toString(max + 1));
          assertEquals(
              expected,
              assertThrows(
                      IllegalArgumentException.class, () -> DjlSettings.of(over, Map.of(), FMNIST))
                  .getMessage());
          assertEquals(
              expected,
              assertThrows(
                      IllegalArgumentException.class, () -> provider.validateSearchSettings(over))
                  .getMessage());
        });
    assertEquals(1_000, DjlSettings.MAX_TRAIN_STEPS);
    assertEquals(
        "djl evaluator setting 'trainSteps' must be a whole number in [1, 1000], got '1000000'",
        assertThrows(
                IllegalArgumentException.class,
                () -> DjlSettings.validate(Map.of("trainSteps", "1000000")))
            .getMessage());
  }
}
