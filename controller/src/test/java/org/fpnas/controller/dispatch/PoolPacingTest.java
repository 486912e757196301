package org.fpnas.controller.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.fpnas.controller.Fixtures;
import org.fpnas.controller.internals.PoolPacing;
import org.fpnas.schemas.avro.ArchitectureSample;
import org.fpnas.schemas.avro.SearchSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dispatcher paced to the evaluator pool, in the topology: every team's samples go through it,
 * each team gets its weighted share of the pool's window, and the demand it publishes is what the
 * other teams' tasks split the pool by.
 */
class PoolPacingTest {
  @TempDir Path stateDir;

  private final AtomicInteger window = new AtomicInteger(4);
  private DispatchHarness h;

  @BeforeEach
  void start() {
    h = new DispatchHarness(stateDir, PoolPacing.following(window::get));
  }

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void aTeamAloneIsNotHeldBack() {
    start("s1", 10);
    assertEquals(10, published().size(), "no other team wants the pool");
  }

  @Test
  void aTeamWithoutLimitsIsKeptToItsShareAndEachResultReleasesOne() {
    h.otherTeamDemand("big", 2);
    start("s1", 10);
    assertEquals(List.of("s1/0/0", "s1/0/1"), published(), "big wants 2 of the window of 4");
    assertEquals(
        Map.of(DispatchHarness.TEAM, 1),
        h.publishedDemand(),
        "its first sample: published at once");
    h.advance(Duration.ofMillis(150));
    assertEquals(
        Map.of(DispatchHarness.TEAM, 10), h.publishedDemand(), "then changes, every 100 ms");
    h.result("s1", 0, 1);
    assertEquals(List.of("s1/0/2"), published());
  }

  @Test
  void anotherTeamsDemandHalvesTheShareAndItsEndGivesItBack() {
    h.otherTeamDemand("big", 100);
    start("s1", 10);
    assertEquals(List.of("s1/0/0", "s1/0/1"), published(), "half of a window of 4");
    h.otherTeamDemand("big", 0);
    h.advance(Duration.ofMillis(150));
    assertEquals(8, published().size(), "alone again: nothing held back");
  }

  @Test
  void weightsSetTheShares() {
    window.set(8);
    h.weight(DispatchHarness.TEAM, 3);
    h.otherTeamDemand("big", 100);
    start("s1", 10);
    assertEquals(6, published().size(), "3 of 4 weight units of a window of 8");
  }

  @Test
  void aGrownPoolReleasesHeldSamplesWithoutAnEventOfTheTeam() {
    h.otherTeamDemand("big", 100);
    start("s1", 10);
    assertEquals(2, published().size());
    window.set(8);
    h.advance(Duration.ofMillis(150));
    assertEquals(2, published().size(), "two more for half of four more slots");
  }

  @Test
  void aPunctuationThatReleasesNothingDoesNotRewriteTheTeamsState() {
    h.otherTeamDemand("big", 100);
    start("s1", 10);
    assertEquals(2, published().size());
    h.dispatchWrites();
    for (int i = 0; i < 12; i++) {
      h.advance(Duration.ofMillis(100)); // the pool's punctuator, and the limits' once a second
    }
    assertEquals(0, published().size(), "held back all along");
    assertEquals(0, h.dispatchWrites(), "nothing released: nothing written");
    window.set(8);
    h.advance(Duration.ofMillis(150));
    assertEquals(2, published().size(), "a grown pool releases two");
    assertEquals(1, h.dispatchWrites(), "and the release is written, once");
  }

  @Test
  void anUnknownPoolHoldsNothingBack() {
    window.set(0);
    h.otherTeamDemand("big", 100);
    start("s1", 10);
    assertEquals(10, published().size());
  }

  @Test
  void aTeamsSearchesShareItsSlots() {
    window.set(8);
    h.otherTeamDemand("big", 100);
    start("s1", 10);
    start("s2", 10);
    assertEquals(4, published().size());
    h.result("s1", 0, 0);
    h.result("s1", 0, 1);
    assertEquals(List.of("s2/0/0", "s2/0/1"), published());
  }

  private void start(String id, int k) {
    SearchSpec spec = Fixtures.spec(id, Map.of("fixedK", Integer.toString(k), "seed", "3"));
    h.submit(spec);
    h.publish(DispatchHarness.initial(spec));
  }

  private List<String> published() {
    return h.samples().stream().map(ArchitectureSample::getSampleId).toList();
  }
}
