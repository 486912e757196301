package org.fpnas.controller.aggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fpnas.controller.Fixtures;
import org.fpnas.schemas.avro.DeadLetter;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.EvaluationResult;
import org.fpnas.schemas.avro.SearchSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A team's topics speak for that team only: what one team writes to its own topics never reaches
 * another team's search, whatever search id or team the record names, and a search id is the team's
 * own.
 */
class TeamBoundaryTest {
  private static final String OTHER = "intruder";

  @TempDir Path stateDir;

  private AggregatorHarness h;
  private SearchSpec running;
  private DistributionUpdate first;

  @BeforeEach
  void startASearchOfTheDefaultTeam() {
    h = new AggregatorHarness(stateDir);
    running = Fixtures.spec("s1", Map.of("fixedK", "3", "maxIterations", "4"));
    h.submit(running);
    first = h.updates().get(0);
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private static SearchSpec cancelledAs(SearchSpec spec, String team) {
    return SearchSpec.newBuilder(spec).setTeam(team).setCancelled(true).build();
  }

  @Test
  void anotherTeamCannotCancelASearchThroughItsOwnTopic() {
    h.submitTo(OTHER, cancelledAs(running, OTHER));
    assertTrue(h.updates().isEmpty(), "no cancelled distribution");
    assertFalse(h.tally("s1").getDone());
    assertNull(h.tally(OTHER, "s1"), "a cancel starts nothing");
    assertTrue(h.deadLetters().isEmpty(), "the owner's dead-letter topic learns nothing");
  }

  @Test
  void twoTeamsSearchesOfOneIdAreTwoSearches() {
    SearchSpec theirs =
        SearchSpec.newBuilder(Fixtures.spec("s1", Map.of("fixedK", "5", "seed", "9")))
            .setTeam(OTHER)
            .build();
    h.submitTo(OTHER, theirs);
    assertTrue(h.updates().isEmpty(), "nothing on the default team's topics");
    assertEquals(5, h.tally(OTHER, "s1").getSampleCount(), "the other team's s1 runs");
    assertEquals(3, h.tally("s1").getSampleCount(), "the default team's s1 is untouched");
    // Each team's results count for its own search only.
    Fixtures.results(running, first).forEach(h::send);
    assertEquals(1, h.updates().size());
    assertEquals(1, h.tally("s1").getIteration());
    assertEquals(0, h.tally(OTHER, "s1").getIteration());
    assertTrue(h.deadLetters(OTHER).isEmpty());
  }

  @Test
  void aTeamReusingItsOwnIdIsToldSo() {
    SearchSpec again =
        SearchSpec.newBuilder(running).setSubmittedAtMs(running.getSubmittedAtMs() + 1).build();
    h.submit(again);
    assertTrue(h.updates().isEmpty());
    List<DeadLetter> letters = h.deadLetters();
    assertEquals(1, letters.size());
    assertTrue(letters.get(0).getError().contains("already used"), letters.toString());
  }

  @Test
  void theOwnerStillCancelsIt() {
    h.submit(cancelledAs(running, running.getTeam()));
    List<DistributionUpdate> out = h.updates();
    assertEquals(1, out.size());
    assertEquals("cancelled", out.get(0).getStopReason());
    assertTrue(h.tally("s1").getDone());
  }

  @Test
  void aSpecNamingAnotherTeamIsRefusedOnTheTopicItCameIn() {
    SearchSpec forged = Fixtures.spec("s2", Map.of("fixedK", "3"));
    h.submitTo(OTHER, forged); // names the default team
    assertNull(h.tally("s2"), "no search started in the default team's name");
    assertTrue(h.updates().isEmpty());
    List<DeadLetter> letters = h.deadLetters(OTHER);
    assertEquals(1, letters.size());
    assertTrue(letters.get(0).getError().contains("names team 'default'"), letters.toString());
  }

  @Test
  void anotherTeamsResultsDoNotCountForTheSearch() {
    EvaluationResult forged = Fixtures.results(running, first).get(0);
    h.sendTo(OTHER, forged);
    assertEquals(0, h.tally("s1").getReceived());
    assertTrue(h.pending("s1").isEmpty());
    List<DeadLetter> letters = h.deadLetters(OTHER);
    assertEquals(1, letters.size());
    assertTrue(letters.get(0).getError().contains("unknown search s1"), letters.toString());
    h.send(forged);
    assertEquals(1, h.tally("s1").getReceived(), "the same result on the owner's topic counts");
  }
}
