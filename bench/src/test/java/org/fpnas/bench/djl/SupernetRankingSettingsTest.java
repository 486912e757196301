package org.fpnas.bench.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SupernetRankingSettingsTest {
  @Test
  void theDefaultsAreSixteenArchitecturesAndTheDemosSchedule() {
    SupernetRankingSettings d = SupernetRankingSettings.parse(Map.of());
    assertEquals(new SupernetRankingSettings(16, 8, 0, 60, 1, 15000, 10), d);
  }

  @Test
  void givenSettingsReplaceTheDefaults() {
    SupernetRankingSettings s =
        SupernetRankingSettings.parse(
            Map.of("architectures", "6", "fromDistribution", "0", "epochs", " 2 ", "seed", "-7"));
    assertEquals(new SupernetRankingSettings(6, 0, -7, 60, 2, 15000, 10), s);
  }

  @Test
  void badSettingsAreNamedErrors() {
    assertMessage(Map.of("epoch", "1"), "unknown setting 'epoch' (known: architectures,");
    assertMessage(Map.of("epochs", "one"), "epochs must be a whole number, got 'one'");
    assertMessage(Map.of("iterations", "1.5"), "iterations must be a whole number, got '1.5'");
    assertMessage(
        Map.of("trainingImages", "99999999999"),
        "trainingImages must be a whole number, got '99999999999'");
    assertMessage(Map.of("architectures", "2"), "architectures must be at least 3");
    assertMessage(
        Map.of("architectures", "4"),
        "fromDistribution must be between 0 and architectures (4), got 8");
    assertMessage(Map.of("fromDistribution", "-1"), "fromDistribution must be between 0");
    assertMessage(Map.of("iterations", "0"), "iterations must be at least 1, got 0");
    assertMessage(Map.of("epochs", "0"), "epochs must be at least 1, got 0");
    assertMessage(Map.of("trainingImages", "-5"), "trainingImages must be >= 0 (0: all), got -5");
    assertMessage(Map.of("scoreBatches", "-1"), "scoreBatches must be >= 0 (0: all), got -1");
  }

  private static void assertMessage(Map<String, String> given, String expected) {
    String message =
        assertThrows(IllegalArgumentException.class, () -> SupernetRankingSettings.parse(given))
            .getMessage();
    assertTrue(message.startsWith("supernet-ranking: "), message);
    assertTrue(message.contains(expected), message);
  }
}
