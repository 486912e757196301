package org.fpnas.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The JSON of a team's settings on fpnas.teams: round trip, defaults, and errors that name the
 * field.
 */
class TeamSettingsTest {

  @Test
  void roundTripsThroughTheRecordJson() {
    TeamSettings a = new TeamSettings("vision", 2.5, 8, 3, 1_048_576, 0, "User:team-vision");
    assertEquals(a, TeamSettings.fromJson(a.toJson()));
    assertEquals(
        "{\"team\":\"vision\",\"weight\":2.5,\"maxInflight\":8,\"maxSearches\":3,\"produceRate\":1048576,"
            + "\"consumeRate\":0,\"principal\":\"User:team-vision\"}",
        a.toJson());
  }

  @Test
  void missingFieldsTakeTheDefaultsAndUnknownOnesAreIgnored() {
    TeamSettings read =
        TeamSettings.fromJson("{\"team\":\"nlp\",\"maxSearches\":2,\"addedLater\":true}");
    assertEquals(new TeamSettings("nlp", 1.0, 0, 2, 0, 0, "User:team-nlp"), read);
    assertEquals(TeamSettings.defaults("nlp"), TeamSettings.fromJson("{\"team\":\"nlp\"}"));
    assertEquals("team-nlp", TeamSettings.userOf("nlp"));
  }

  @Test
  void badValuesFailWithTheirName() {
    assertMessage("weight", () -> new TeamSettings("a", 0, 0, 0, 0, 0, "User:team-a"));
    assertMessage("weight", () -> TeamSettings.fromJson("{\"team\":\"a\",\"weight\":\"heavy\"}"));
    assertMessage(
        "maxInflight", () -> TeamSettings.fromJson("{\"team\":\"a\",\"maxInflight\":-1}"));
    assertMessage(
        "maxSearches", () -> TeamSettings.fromJson("{\"team\":\"a\",\"maxSearches\":1.5}"));
    assertMessage("produceRate", () -> new TeamSettings("a", 1, 0, 0, -5, 0, "User:team-a"));
    assertMessage("principal", () -> new TeamSettings("a", 1, 0, 0, 0, 0, "team-a"));
    assertMessage("invalid team name", () -> TeamSettings.fromJson("{\"team\":\"Not Valid\"}"));
    assertMessage("'team'", () -> TeamSettings.fromJson("[1]"));
    assertMessage("not JSON", () -> TeamSettings.fromJson("{"));
  }

  private static void assertMessage(
      String expected, org.junit.jupiter.api.function.Executable action) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action);
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
