package org.fpnas.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HyperparametersTest {
  @Test
  void defaults() {
    Hyperparameters hp = Hyperparameters.defaults();
    assertEquals(0L, hp.seed());
    assertEquals(100, hp.maxIterations());
    assertEquals(1.25, hp.lambda());
    assertTrue(hp.k0().isEmpty());
    assertEquals(4, hp.kMin());
    assertEquals(64, hp.kMax());
    assertTrue(hp.fixedK().isEmpty());
    assertEquals(0.0, hp.beta());
    assertTrue(hp.costTarget().isEmpty());
    assertEquals(1.0, hp.learningRate());
    assertEquals(1.0, hp.temperature());
    assertEquals(50, hp.factorizedIterations());
    assertEquals(0.0, hp.entropyStop());
    assertEquals(0, hp.stableIterations());
    assertEquals(0.0, hp.adamBeta1());
    assertEquals(0.999, hp.adamBeta2());
    assertEquals(1e-8, hp.adamEpsilon());
    assertEquals(0.0, hp.weightDecay());
    assertEquals("rank", hp.weighting());
    assertTrue(hp.targetEss().isEmpty());
    assertEquals("sgd", hp.optimizer());
    assertEquals("batch-mean", hp.baseline());
  }

  @Test
  void toMapListsEveryNameInOrderAndRoundTripsExactly() {
    Hyperparameters hp =
        Hyperparameters.fromMap(
            Map.of(
                "learningRate",
                String.valueOf(0.1 + 0.2),
                "seed",
                "-9",
                "k0",
                "12",
                "costTarget",
                "3.5e8",
                "beta",
                "0.5"));
    Map<String, String> map = hp.toMap();
    assertEquals(Hyperparameters.names(), List.copyOf(map.keySet()));
    assertEquals("0.30000000000000004", map.get("learningRate"));
    assertEquals("3.5E8", map.get("costTarget"));
    assertEquals("", map.get("fixedK"));
    Hyperparameters again = Hyperparameters.fromMap(map);
    assertEquals(hp, again);
    assertEquals(map, again.toMap());
    assertEquals(0.1 + 0.2, again.learningRate());
    assertEquals(12, again.k0().getAsInt());
    assertEquals(
        Hyperparameters.defaults(), Hyperparameters.fromMap(Hyperparameters.defaults().toMap()));
  }

  @Test
  void withChangesOneSetting() {
    Hyperparameters hp = Hyperparameters.defaults().with("fixedK", "8").with("kMax", "100");
    assertEquals(8, hp.fixedK().getAsInt());
    assertEquals(100, hp.kMax());
    assertTrue(hp.with("fixedK", "").fixedK().isEmpty());
    assertFalse(Hyperparameters.defaults().equals(hp));
  }

  @Test
  void unknownNamesAreRejectedWithTheName() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Hyperparameters.fromMap(Map.of("lamda", "0.3")));
    assertTrue(
        e.getMessage().contains("'lamda'") && e.getMessage().contains("lambda"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> Hyperparameters.defaults().with("speed", "1"));
  }

  @Test
  void badValuesNameTheSettingTheValueAndWhatIsAllowed() {
    Map<String, String> cases = new HashMap<>();
    cases.put("kMin", "0");
    cases.put("kMax", "ten");
    cases.put("lambda", "-1");
    cases.put("learningRate", "0");
    cases.put("temperature", "NaN");
    cases.put("beta", "-0.5");
    cases.put("costTarget", "0");
    cases.put("k0", "2.5");
    cases.put("fixedK", "0");
    cases.put("adamBeta1", "1");
    cases.put("seed", "1.0");
    cases.put("entropyStop", "Infinity");
    cases.put("factorizedIterations", "-1");
    cases.put("weightDecay", "1.5f");
    cases.put("maxIterations", "99999999999");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> Hyperparameters.fromMap(Map.of(c.getKey(), c.getValue())),
              c.toString());
      assertTrue(e.getMessage().contains("'" + c.getKey() + "'"), e.getMessage());
      assertTrue(e.getMessage().contains("'" + c.getValue() + "'"), e.getMessage());
      assertTrue(e.getMessage().contains("must be"), e.getMessage());
    }
  }

  @Test
  void requiredSettingsCannotBeBlank() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Hyperparameters.fromMap(Map.of("lambda", "")));
    assertTrue(e.getMessage().contains("'lambda'"), e.getMessage());
  }

  @Test
  void kMaxMustNotBeBelowKMin() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Hyperparameters.fromMap(Map.of("kMin", "10", "kMax", "5")));
    assertTrue(
        e.getMessage().contains("'kMax'") && e.getMessage().contains("kMin"), e.getMessage());
  }

  @Test
  void aRecordedSearchKeepsTheUpdateOfItsDayWhenNewSettingsAppear() {
    // A spec recorded before 'weighting' and 'targetEss' existed lists every other setting.
    Map<String, String> recorded = new HashMap<>(Hyperparameters.defaults().toMap());
    recorded.remove("weighting");
    recorded.remove("targetEss");
    Hyperparameters replayed = Hyperparameters.fromRecorded(recorded);
    assertEquals("softmax", replayed.weighting());
    assertTrue(replayed.targetEss().isEmpty());
    // And before the plain step and the batch-mean baseline: Adam on the plain estimator.
    Map<String, String> older = new HashMap<>(recorded);
    older.remove("optimizer");
    older.remove("baseline");
    Hyperparameters adam = Hyperparameters.fromRecorded(older);
    assertEquals("adam", adam.optimizer());
    assertEquals("none", adam.baseline());
    // A request's partial map takes today's defaults; a complete new record is kept as is.
    assertEquals("rank", Hyperparameters.fromMap(recorded).weighting());
    assertEquals(
        Hyperparameters.defaults(),
        Hyperparameters.fromRecorded(Hyperparameters.defaults().toMap()));
  }

  @Test
  void weightingIsOneOfItsNames() {
    assertEquals("softmax", Hyperparameters.defaults().with("weighting", "softmax").weighting());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Hyperparameters.defaults().with("weighting", "greedy"));
    assertTrue(
        e.getMessage().contains("'weighting'") && e.getMessage().contains("rank"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> Hyperparameters.defaults().with("targetEss", "1.5"));
  }

  @Test
  void valuesThatNoSearchCouldRunWithAreRefusedWithTheSettingTheValueAndTheRange() {
    // Each of these passed the old checks and made the first updates infinite.
    Map<String, String> cases = new java.util.LinkedHashMap<>();
    cases.put("temperature", "1e-320");
    cases.put("costTarget", "1e-200");
    cases.put("learningRate", "1e200");
    cases.put("beta", "1e300");
    cases.put("weightDecay", "1e150");
    Map<String, String> ranges =
        Map.of(
            "temperature", "a number >= 1.0E-100",
            "costTarget", "a number >= 1.0E-100, or empty",
            "learningRate", "a number in (0, 1.0E100]",
            "beta", "a number in [0, 1.0E100]",
            "weightDecay", "a number in [0, 1.0E100]");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> Hyperparameters.fromMap(Map.of(c.getKey(), c.getValue())),
              c.toString());
      assertEquals(
          "hyperparameter '"
              + c.getKey()
              + "' must be "
              + ranges.get(c.getKey())
              + ", got '"
              + c.getValue()
              + "'",
          e.getMessage());
    }
  }

  @Test
  void aSampleCountThatWouldHoldUpEveryTeamIsRefused() {
    for (String name : List.of("kMin", "kMax", "fixedK", "k0")) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> Hyperparameters.fromMap(Map.of(name, "2147483647")),
              name);
      assertTrue(e.getMessage().contains("'" + name + "'"), e.getMessage());
      assertTrue(e.getMessage().contains("4096"), e.getMessage());
    }
    assertEquals(
        4096,
        Hyperparameters.fromMap(Map.of("fixedK", "4096")).fixedK().getAsInt(),
        "the bound itself is allowed");
  }

  @Test
  void theBoundsThemselvesAreAccepted() {
    Hyperparameters hp =
        Hyperparameters.fromMap(
            Map.of(
                "temperature", "1e-100",
                "costTarget", "1e-100",
                "learningRate", "1e100",
                "beta", "1e100",
                "weightDecay", "1e100"));
    assertEquals(1e-100, hp.temperature());
    assertEquals(1e100, hp.learningRate());
  }
}
