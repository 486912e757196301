package org.fpnas.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.fpnas.schemas.avro.SearchSpec;
import org.junit.jupiter.api.Test;

/**
 * Submit checks a search's evaluator settings with its kind's provider, where the kind is on the
 * class path, so that a value over a kind's bound is refused before anything is published.
 */
class EvaluatorSettingsAtSubmitTest {
  private static final String SPACE =
      "name: s\nlayers:\n  - name: l0\n    variables:\n      a: [x, y]\n";

  private static SearchRequest request(String kind) {
    return new SearchRequest("s.yaml", SPACE).evaluator(kind);
  }

  @Test
  void aValueOverTheKindsBoundIsRefusedNamingTheSettingTheValueAndTheBound() {
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                SearchSpecs.validate(
                    request(BoundedKind.KIND).evaluatorSetting("steps", "1000000"), 0L));
    assertEquals(
        "bounded-test setting 'steps' must be a whole number in [1, 100], got '1000000'",
        refused.getMessage());
  }

  @Test
  void anUnknownSettingOfAKnownKindIsRefused() {
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                SearchSpecs.validate(request(BoundedKind.KIND).evaluatorSetting("stepz", "1"), 0L));
    assertEquals("unknown bounded-test setting 'stepz' (known: steps)", refused.getMessage());
  }

  @Test
  void aValueWithinTheBoundPasses() {
    SearchSpec spec =
        SearchSpecs.validate(request(BoundedKind.KIND).evaluatorSetting("steps", "100"), 0L);
    assertEquals("100", spec.getEvaluatorSettings().get("steps"));
  }

  @Test
  void aKindNotOnTheClassPathIsLeftToTheEvaluators() {
    SearchSpec spec =
        SearchSpecs.validate(request("elsewhere").evaluatorSetting("steps", "1000000"), 0L);
    assertEquals("1000000", spec.getEvaluatorSettings().get("steps"));
  }
}
