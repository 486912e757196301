package org.fpnas.controller.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.fpnas.client.fold.SearchModels;
import org.fpnas.client.wire.WireConversions;
import org.fpnas.controller.Fixtures;
import org.fpnas.controller.internals.Samples;
import org.fpnas.schemas.avro.AdmissionState;
import org.fpnas.schemas.avro.ArchitectureSample;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.SearchAdmission;
import org.fpnas.schemas.avro.SearchSpec;
import org.fpnas.schemas.avro.TeamDispatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dispatcher in its topology, fed as the aggregator feeds it: a team's limits on samples in
 * flight and on running searches (0: none). The rules alone are in {@link DispatcherRulesTest}.
 */
class DispatcherTest {
  @TempDir Path stateDir;

  private DispatchHarness h;

  @BeforeEach
  void start() {
    h = new DispatchHarness(stateDir);
  }

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void aTeamAtItsInflightLimitGetsASampleForEachResult() {
    limits(2, 0);
    DistributionUpdate first = start("s1", 5);
    List<String> out = published();
    assertEquals(List.of("s1/0/0", "s1/0/1"), out, "only two in flight");
    result("s1", 0, 1);
    assertEquals(List.of("s1/0/2"), published());
    result("s1", 0, 0);
    result("s1", 0, 2);
    assertEquals(List.of("s1/0/3", "s1/0/4"), published());
    assertEquals(2, state().getInflight().size());
    assertEquals(5, first.getSampleCount());
  }

  @Test
  void limitZeroMeansNoLimit() {
    limits(0, 0);
    start("s1", 6);
    assertEquals(6, published().size());
  }

  @Test
  void aTeamWithoutSettingsHasNoLimits() {
    DistributionUpdate first = start("s1", 6);
    assertEquals(6, published().size());
    redispatchAll(first, 2);
    assertEquals(6, h.samples().stream().filter(s -> s.getAttempt() == 2).count());
  }

  @Test
  void aSampleDispatchedAgainOfASearchTheDispatcherNeverSawGoesStraightOut() {
    // Unpaced, the aggregator publishes the samples of a team without limits itself.
    DistributionUpdate first = initial("s1", 3);
    redispatchAll(first, 2);
    assertEquals(List.of("s1/0/0", "s1/0/1", "s1/0/2"), published());
    assertTrue(state().getInflight().isEmpty(), "the new attempts replace ones in flight");
  }

  @Test
  void aLimitSetWhileASearchRunsAppliesToItsNextSamples() {
    start("s1", 4);
    assertEquals(4, published().size());
    limits(1, 0);
    DistributionUpdate first = initial("s1", 4);
    publish(
        DistributionUpdate.newBuilder(first)
            .setIteration(1)
            .setVersion(first.getVersion() + 1)
            .build());
    assertEquals(List.of("s1/1/0"), published());
    result("s1", 1, 0);
    assertEquals(List.of("s1/1/1"), published());
  }

  @Test
  void aRaisedLimitReleasesHeldSamplesAtOnceAndALoweredOnePreemptsNothing() {
    limits(1, 0);
    start("s1", 6);
    assertEquals(1, published().size());
    limits(4, 0);
    h.advance(Duration.ofSeconds(1)); // no result comes: the periodic check releases
    assertEquals(List.of("s1/0/1", "s1/0/2", "s1/0/3"), published());
    limits(2, 0);
    result("s1", 0, 0);
    result("s1", 0, 1);
    assertTrue(h.noSamples(), "2 in flight, at most 2: the results free no slot yet");
    result("s1", 0, 2);
    assertEquals(List.of("s1/0/4"), published());
  }

  @Test
  void aSecondSearchWaitsForASlotWithItsReasonAndStartsWhenTheFirstEnds() {
    limits(0, 1);
    DistributionUpdate first = start("s1", 3);
    assertEquals(3, published().size());
    start("s2", 3);
    assertTrue(h.noSamples(), "s2 waits");
    SearchAdmission waiting = admission();
    assertEquals("s2", waiting.getSearchId());
    assertEquals(AdmissionState.WAITING, waiting.getState());
    assertEquals(1, waiting.getPosition());
    assertTrue(waiting.getReason().contains("runs 1 of at most 1 searches"), waiting.getReason());
    publish(
        DistributionUpdate.newBuilder(first)
            .setVersion(first.getVersion() + 1)
            .setDone(true)
            .setStopReason("max-iterations")
            .build());
    SearchAdmission started = admission();
    assertEquals(AdmissionState.RUNNING, started.getState());
    assertNull(started.getReason());
    assertEquals(List.of("s2/0/0", "s2/0/1", "s2/0/2"), published());
  }

  @Test
  void aRaisedSearchLimitStartsAWaitingSearch() {
    limits(0, 1);
    start("s1", 2);
    start("s2", 2);
    start("s3", 2);
    assertEquals(2, published().size());
    assertEquals(List.of(1, 2), h.admissions().stream().map(SearchAdmission::getPosition).toList());
    limits(0, 2);
    h.advance(Duration.ofSeconds(1));
    assertEquals(AdmissionState.RUNNING, admission().getState());
    SearchAdmission stillWaiting = admission();
    assertEquals("s3", stillWaiting.getSearchId());
    assertEquals(1, stillWaiting.getPosition(), "s3 moved up");
    assertEquals(List.of("s2/0/0", "s2/0/1"), published());
  }

  @Test
  void aSampleDispatchedAgainKeepsItsSlotAndAHeldOneDoesNotJumpTheLimit() {
    limits(1, 0);
    DistributionUpdate first = start("s1", 3);
    assertEquals(List.of("s1/0/0"), published());
    redispatchAll(first, 2);
    List<ArchitectureSample> again = h.samples();
    assertEquals(1, again.size(), "only the one in flight is published again");
    assertEquals("s1/0/0", again.get(0).getSampleId());
    assertEquals(2, again.get(0).getAttempt());
    assertEquals(1, state().getInflight().size());
    result("s1", 0, 0);
    List<ArchitectureSample> next = h.samples();
    assertEquals("s1/0/1", next.get(0).getSampleId());
    assertEquals(2, next.get(0).getAttempt(), "the held sample took the new attempt");
    result("s1", 0, 0); // the first attempt's result, late: frees nothing
    assertTrue(h.noSamples());
  }

  @Test
  void aClosedIterationFreesItsSlotsAndAnEndedSearchAllOfThem() {
    limits(2, 0);
    DistributionUpdate first = start("s1", 3);
    assertEquals(2, published().size());
    // The aggregator closed iteration 0 without results (deadline): iteration 1 takes the slots.
    publish(
        DistributionUpdate.newBuilder(first)
            .setIteration(1)
            .setVersion(first.getVersion() + 1)
            .build());
    assertEquals(List.of("s1/1/0", "s1/1/1"), published());
    assertEquals(List.of("s1/1/2"), state().getHeld().stream().map(h -> h.getSampleId()).toList());
    publish(
        DistributionUpdate.newBuilder(first)
            .setIteration(2)
            .setVersion(first.getVersion() + 2)
            .setDone(true)
            .build());
    assertEquals(0, state().getInflight().size());
    assertEquals(0, state().getHeld().size());
  }

  private void limits(int maxInflight, int maxSearches) {
    h.limits(maxInflight, maxSearches);
  }

  /**
   * Submits a search with a fixed K and publishes its first distribution, as the aggregator would.
   */
  private DistributionUpdate start(String id, int k) {
    h.submit(spec(id, k));
    DistributionUpdate first = initial(id, k);
    publish(first);
    return first;
  }

  private static SearchSpec spec(String id, int k) {
    return Fixtures.spec(id, Map.of("fixedK", Integer.toString(k), "seed", "3"));
  }

  private static DistributionUpdate initial(String id, int k) {
    return DispatchHarness.initial(spec(id, k));
  }

  private void publish(DistributionUpdate u) {
    h.publish(u);
  }

  private void result(String searchId, int iteration, int index) {
    h.result(searchId, iteration, index);
  }

  /**
   * Every sample of the iteration dispatched again, as the aggregator does when none has a result.
   */
  private void redispatchAll(DistributionUpdate u, int attempt) {
    SearchSpec spec = spec(u.getSearchId(), u.getSampleCount());
    var model = SearchModels.parse(spec);
    var d = WireConversions.distribution(model.space(), u);
    for (int k = 0; k < u.getSampleCount(); k++) {
      h.redispatch(Samples.of(spec, model.fpnas(), d, u, k, attempt, 5L));
    }
  }

  private List<String> published() {
    return h.samples().stream().map(ArchitectureSample::getSampleId).toList();
  }

  private SearchAdmission admission() {
    return h.admission();
  }

  private TeamDispatch state() {
    return h.dispatchState();
  }
}
