package org.fpnas.bench.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SupernetRankingSettingsTest {
  @Test
  void theDefaultsAreTwentyFourArchitecturesAndTheDemosSchedule() {
    SupernetRankingSettings d = SupernetRankingSettings.parse(Map.of());
    assertEquals(new SupernetRankingSettings(24, 8, 0, 60, 1, 15000, 10, true, 6, 8, ""), d);
  }

  @Test
  void givenSettingsReplaceTheDefaults() {
    SupernetRankingSettings s =
        SupernetRankingSettings.parse(
            Map.of("architectures", "6", "fromDistribution", "0", "epochs", " 2 ", "seed", "-7"));
    assertEquals(new SupernetRankingSettings(6, 0, -7, 60, 2, 15000, 10, true, 6, 8, ""), s);
  }

  @Test
  void badSettingsAreNamedErrors() {
    assertMessage(
        Map.of("epoch", "1"), "unknown supernet-ranking setting 'epoch' (known: architectures,");
    assertMessage(
        Map.of("epochs", "one"),
        "supernet-ranking setting 'epochs' must be a whole number >= 1, got 'one'");
    assertMessage(
        Map.of("iterations", "1.5"),
        "supernet-ranking setting 'iterations' must be a whole number >= 1, got '1.5'");
    assertMessage(
        Map.of("trainingImages", "99999999999"),
        "supernet-ranking setting 'trainingImages' must be a whole number >= 0 (0: all), got"
            + " '99999999999'");
    assertMessage(
        Map.of("architectures", "2"),
        "supernet-ranking setting 'architectures' must be a whole number >= 3 (a rank correlation"
            + " needs them), got '2'");
    assertMessage(
        Map.of("architectures", "4"),
        "supernet-ranking setting 'fromDistribution' must be between 0 and architectures (4), got"
            + " '8'");
    assertMessage(
        Map.of("fromDistribution", "-1"),
        "supernet-ranking setting 'fromDistribution' must be a whole number between 0 and"
            + " architectures, got '-1'");
    assertMessage(
        Map.of("iterations", "0"),
        "supernet-ranking setting 'iterations' must be a whole number >= 1, got '0'");
    assertMessage(
        Map.of("epochs", "0"),
        "supernet-ranking setting 'epochs' must be a whole number >= 1, got '0'");
    assertMessage(
        Map.of("trainingImages", "-5"),
        "supernet-ranking setting 'trainingImages' must be a whole number >= 0 (0: all), got '-5'");
    assertMessage(
        Map.of("architectures", "5"),
        "supernet-ranking setting 'fromDistribution' must be between 0 and architectures (5), got"
            + " '8'");
    assertMessage(
        Map.of("architectures", "5", "fromDistribution", "2"),
        "supernet-ranking setting 'reseeded' must be between 0 and architectures (5), got '6'");
    assertMessage(
        Map.of("stratified", "yes"),
        "supernet-ranking setting 'stratified' must be true or false, got 'yes'");
    assertMessage(
        Map.of("scoreBatches", "-1"),
        "supernet-ranking setting 'scoreBatches' must be a whole number >= 0 (0: all), got '-1'");
  }

  @Test
  void aRecordBuiltInCodeIsCheckedLikeParsedSettings() {
    assertEquals(
        "supernet-ranking setting 'epochs' must be a whole number >= 1, got '0'",
        assertThrows(
                IllegalArgumentException.class,
                () -> new SupernetRankingSettings(16, 8, 0, 60, 0, 15000, 10, true, 6, 8, ""))
            .getMessage());
  }

  private static void assertMessage(Map<String, String> given, String expected) {
    String message =
        assertThrows(IllegalArgumentException.class, () -> SupernetRankingSettings.parse(given))
            .getMessage();
    assertEquals(expected, message.substring(0, Math.min(expected.length(), message.length())));
  }
}
