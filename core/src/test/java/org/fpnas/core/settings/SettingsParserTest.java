package org.fpnas.core.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsParserTest {
  private static final Setting<Integer> STEPS = Setting.integer("steps", 10, 1, Integer.MAX_VALUE);
  private static final Setting<Long> SEED =
      Setting.whole("seed", 0, Long.MIN_VALUE, Long.MAX_VALUE);
  private static final Setting<Double> RATE =
      Setting.number("rate", 0.05, Range.above(0).atMost(1));
  private static final Setting<Double> MOMENTUM = Setting.number("momentum", 0.9, Range.from(0, 1));
  private static final Setting<Boolean> VERBOSE = Setting.bool("verbose", false);
  private static final Setting<String> NAME = Setting.text("name", "run");
  private static final Setting<String> MODE =
      Setting.choice("mode", "fast", List.of("fast", "exact"));
  private static final Setting<Double> TARGET =
      Setting.number("target", "", Range.above(0)).optional();

  private static final SettingsParser PARSER =
      SettingsParser.of("test setting", STEPS, SEED, RATE, MOMENTUM, VERBOSE, NAME, MODE, TARGET);

  @Test
  void missingSettingsTakeTheirDefaults() {
    SettingValues v = PARSER.parse(Map.of());
    assertEquals(10, v.get(STEPS));
    assertEquals(0L, v.get(SEED));
    assertEquals(0.05, v.get(RATE));
    assertEquals(false, v.get(VERBOSE));
    assertEquals("run", v.get(NAME));
    assertEquals("fast", v.get(MODE));
    assertNull(v.get(TARGET));
    assertEquals(
        List.of("steps", "seed", "rate", "momentum", "verbose", "name", "mode", "target"),
        PARSER.names());
  }

  @Test
  void givenValuesAreReadTypedAndWrittenBackCanonically() {
    SettingValues v =
        PARSER.parse(
            Map.of(
                "steps",
                " 7 ",
                "seed",
                "-9000000000",
                "rate",
                "1e-1",
                "verbose",
                "TRUE",
                "mode",
                "exact",
                "target",
                "2"));
    assertEquals(7, v.get(STEPS));
    assertEquals(-9_000_000_000L, v.get(SEED));
    assertEquals(0.1, v.get(RATE));
    assertEquals(true, v.get(VERBOSE));
    assertEquals("exact", v.get(MODE));
    assertEquals(2.0, v.get(TARGET));
    Map<String, String> text = new LinkedHashMap<>(v.asText());
    assertEquals("7", text.get("steps"));
    assertEquals("0.1", text.get("rate"));
    assertEquals("2.0", text.get("target"));
    assertEquals(v.asText(), PARSER.parse(v.asText()).asText(), "the text reads back exactly");
  }

  @Test
  void anUnknownNameIsNamedWithTheKnownOnes() {
    assertMessage(
        Map.of("step", "3", "zeta", "1"),
        "unknown test setting 'step' (known: steps, seed, rate, momentum, verbose, name, mode,"
            + " target)");
  }

  @Test
  void aBadValueNamesTheSettingTheValueAndTheRange() {
    assertMessage(
        Map.of("steps", "0"), "test setting 'steps' must be a whole number >= 1, got '0'");
    assertMessage(
        Map.of("steps", "3000000000"),
        "test setting 'steps' must be a whole number >= 1, got '3000000000'");
    assertMessage(
        Map.of("steps", "2.5"), "test setting 'steps' must be a whole number >= 1, got '2.5'");
    assertMessage(Map.of("seed", "x"), "test setting 'seed' must be a whole number, got 'x'");
    assertMessage(Map.of("rate", "0"), "test setting 'rate' must be a number in (0, 1], got '0'");
    assertMessage(
        Map.of("rate", "NaN"), "test setting 'rate' must be a number in (0, 1], got 'NaN'");
    assertMessage(
        Map.of("momentum", "1"), "test setting 'momentum' must be a number in [0, 1), got '1'");
    assertMessage(
        Map.of("verbose", "yes"), "test setting 'verbose' must be true or false, got 'yes'");
    assertMessage(Map.of("name", " "), "test setting 'name' must be a text, got ' '");
    assertMessage(
        Map.of("mode", "slow"), "test setting 'mode' must be one of fast, exact, got 'slow'");
    assertMessage(
        Map.of("target", "-1"), "test setting 'target' must be a number > 0, or empty, got '-1'");
  }

  @Test
  void aSettingOfAnotherParserIsRefused() {
    Setting<Integer> other = Setting.integer("steps", 10, 1, 5);
    assertThrows(IllegalArgumentException.class, () -> PARSER.parse(Map.of()).get(other));
  }

  private static void assertMessage(Map<String, String> given, String expected) {
    assertEquals(
        expected,
        assertThrows(IllegalArgumentException.class, () -> PARSER.parse(given)).getMessage());
  }
}
