package org.fpnas.controller.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.fpnas.controller.internals.DispatchEvents;
import org.fpnas.schemas.SampleIds;
import org.fpnas.schemas.avro.AdmissionState;
import org.fpnas.schemas.avro.HeldSample;
import org.fpnas.schemas.avro.SampleSlot;
import org.fpnas.schemas.avro.TeamDispatch;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher's rules ({@link Dispatcher}) alone, without Kafka: what each event publishes and
 * holds.
 */
class DispatcherRulesTest {
  /** What the rules decided, in order. */
  private final List<String> published = new ArrayList<>();

  private final List<String> payloads = new ArrayList<>();
  private final List<String> admissions = new ArrayList<>();
  private final TeamDispatch team = Dispatcher.empty("vision");
  private final Dispatcher rules =
      new Dispatcher(
          team,
          new Dispatcher.Decisions() {
            @Override
            public void publish(HeldSample sample) {
              published.add(sample.getSampleId());
              payloads.add(
                  StandardCharsets.UTF_8.decode(sample.getPayload().duplicate()).toString());
            }

            @Override
            public void admission(String searchId, AdmissionState state, int position) {
              admissions.add(searchId + " " + state + " " + position);
            }
          });

  @Test
  void withoutLimitsEverySampleGoesOutAtOnce() {
    draw("s1", 0, 5);
    assertEquals(List.of("s1/0/0", "s1/0/1", "s1/0/2", "s1/0/3", "s1/0/4"), published);
    assertEquals(5, team.getInflight().size());
    assertTrue(admissions.isEmpty(), "no search limit: no admission records");
  }

  @Test
  void atTheInflightLimitEachResultReleasesTheOldestHeldSample() {
    rules.settings(2, 0);
    draw("s1", 0, 5);
    assertEquals(List.of("s1/0/0", "s1/0/1"), taken());
    assertEquals(List.of("s1/0/2", "s1/0/3", "s1/0/4"), held());
    rules.result("s1/0/1");
    assertEquals(List.of("s1/0/2"), taken());
    assertEquals(List.of("s1/0/0", "s1/0/2"), inflight());
  }

  @Test
  void aResultOfASampleNotInFlightFreesNothing() {
    rules.settings(1, 0);
    draw("s1", 0, 3);
    taken();
    rules.result("s1/0/9");
    assertEquals(List.of(), taken());
    assertEquals(List.of("s1/0/0"), inflight());
  }

  @Test
  void aSearchOverTheSearchLimitWaitsInOrderAndStartsWhenOneEnds() {
    rules.settings(0, 1);
    draw("s1", 0, 2);
    draw("s2", 0, 2);
    draw("s3", 0, 2);
    assertEquals(List.of("s1/0/0", "s1/0/1"), taken());
    assertEquals(List.of("s2 WAITING 1", "s3 WAITING 2"), admissions());
    assertEquals(List.of("s2", "s3"), team.getWaiting());

    rules.ended("s1");
    assertEquals(List.of("s2 RUNNING 0", "s3 WAITING 1"), admissions());
    assertEquals(List.of("s2/0/0", "s2/0/1"), taken());
    assertEquals(List.of("s2"), team.getRunning());
  }

  @Test
  void aTeamsSearchesTakeItsSlotsInTurn() {
    rules.settings(4, 0);
    draw("s1", 0, 6);
    draw("s2", 0, 6);
    assertEquals(List.of("s1/0/0", "s1/0/1", "s1/0/2", "s1/0/3"), taken());
    rules.result("s1/0/0");
    rules.result("s1/0/1");
    assertEquals(
        List.of("s2/0/0", "s2/0/1"), taken(), "the search with fewest in flight goes first");
    rules.result("s1/0/2");
    rules.result("s2/0/0");
    assertEquals(List.of("s1/0/4", "s2/0/2"), taken(), "each result to the search behind");
  }

  @Test
  void aPoolShareHoldsSamplesBackAndAGrownOneReleasesThem() {
    rules.poolShare(2);
    draw("s1", 0, 5);
    assertEquals(List.of("s1/0/0", "s1/0/1"), taken());
    assertEquals(5, rules.demand(), "what the team wants: in flight and held");
    assertTrue(rules.holdsRunnable());
    rules.poolShare(4);
    assertEquals(List.of("s1/0/2", "s1/0/3"), taken(), "a grown share releases at once");
    rules.settings(3, 0);
    rules.result("s1/0/0");
    rules.result("s1/0/1");
    assertEquals(List.of("s1/0/4"), taken(), "the lower of the team's limit and its share");
    rules.poolShare(0);
    assertEquals(3, rules.demand());
    assertTrue(!rules.holdsRunnable());
  }

  @Test
  void aRaisedLimitReleasesAtOnceAndALoweredOnePreemptsNothing() {
    rules.settings(1, 1);
    draw("s1", 0, 4);
    draw("s2", 0, 1);
    assertEquals(List.of("s1/0/0"), taken());
    admissions();

    rules.settings(3, 2);
    assertEquals(List.of("s2 RUNNING 0"), admissions());
    assertEquals(
        List.of("s2/0/0", "s1/0/1"),
        taken(),
        "up to the new limit of 3, the search with fewest in flight first");

    rules.settings(1, 1);
    assertEquals(List.of(), taken());
    assertEquals(3, team.getInflight().size(), "nothing in flight is taken back");
    assertEquals(List.of("s1", "s2"), team.getRunning(), "no running search is stopped");
    rules.result("s1/0/0");
    rules.result("s1/0/1");
    assertEquals(List.of(), taken(), "still at or over the lowered limit");
  }

  @Test
  void aLaterIterationFreesTheSlotsAndHoldsOfTheClosedOne() {
    rules.settings(2, 0);
    draw("s1", 0, 3);
    taken();
    draw("s1", 1, 3);
    assertEquals(List.of("s1/1/0", "s1/1/1"), taken());
    assertEquals(List.of("s1/1/2"), held());
    draw("s1", 0, 1); // a stale sample of the closed iteration
    assertEquals(List.of(), taken());
    assertEquals(List.of("s1/1/2"), held());
  }

  @Test
  void anEndedSearchFreesAllItsSlotsForTheOthers() {
    rules.settings(2, 0);
    draw("s1", 0, 2);
    draw("s2", 0, 2);
    assertEquals(List.of("s1/0/0", "s1/0/1"), taken());
    rules.ended("s1");
    assertEquals(List.of("s2/0/0", "s2/0/1"), taken());
    rules.ended("s1"); // repeated ends are harmless
    assertEquals(List.of("s2/0/0", "s2/0/1"), inflight());
  }

  @Test
  void aSampleDispatchedAgainWhileInFlightIsPublishedAgainAndKeepsItsSlot() {
    rules.settings(1, 0);
    draw("s1", 0, 2);
    taken();
    rules.redispatch("s1", "s1/0/0", 0, payload("s1/0/0 attempt 2"));
    assertEquals(List.of("s1/0/0"), taken());
    assertEquals(
        List.of("s1/0/0 attempt 2"), payloads.subList(payloads.size() - 1, payloads.size()));
    assertEquals(List.of("s1/0/0"), inflight(), "one slot, not two");
  }

  @Test
  void aHeldSampleDispatchedAgainKeepsItsPlaceAndTakesTheNewPayload() {
    rules.settings(1, 0);
    draw("s1", 0, 3);
    taken();
    rules.redispatch("s1", "s1/0/2", 0, payload("s1/0/2 attempt 2"));
    assertEquals(List.of(), taken(), "held, not published past the limit");
    assertEquals(List.of("s1/0/1", "s1/0/2"), held());
    rules.result("s1/0/0");
    rules.result("s1/0/1");
    assertEquals(List.of("s1/0/1", "s1/0/2"), taken());
    assertEquals("s1/0/2 attempt 2", payloads.get(payloads.size() - 1));
  }

  @Test
  void aSampleDispatchedAgainThatTheDispatcherNoLongerTracksIsHeldNotPublishedPastTheLimit() {
    rules.settings(1, 0);
    draw("s1", 0, 2);
    taken();
    rules.result("s1/0/0"); // releases s1/0/1
    taken();
    rules.redispatch("s1", "s1/0/0", 0, payload("s1/0/0 attempt 2"));
    assertEquals(List.of(), taken());
    assertEquals(List.of("s1/0/0"), held());
  }

  @Test
  void aSampleDispatchedAgainForASearchNeverSeenGoesStraightOut() {
    rules.settings(1, 0);
    draw("s1", 0, 1);
    taken();
    rules.redispatch("s0", "s0/4/0", 4, payload("s0/4/0 attempt 2"));
    assertEquals(List.of("s0/4/0"), taken());
    assertEquals(
        List.of("s1/0/0"), inflight(), "it replaces a sample already out, so it takes no slot");
  }

  @Test
  void aSampleDispatchedAgainForAClosedIterationIsDropped() {
    rules.settings(1, 0);
    draw("s1", 0, 1);
    draw("s1", 1, 1);
    taken();
    rules.redispatch("s1", "s1/0/0", 0, payload("s1/0/0 attempt 2"));
    assertEquals(List.of(), taken());
    assertEquals(List.of(), held());
  }

  @Test
  void asynchronousSamplesOfLaterDistributionsLeaveEarlierOnesInFlight() {
    rules.settings(3, 0);
    // Draws 0-2 from distribution 0, then draw 3 from distribution 1 after the result of draw 0.
    for (int draw = 0; draw < 3; draw++) {
      asynchronous("s1", 0, draw);
    }
    rules.result("s1/0/0");
    asynchronous("s1", 1, 3);
    asynchronous("s1", 1, 4);
    assertEquals(List.of("s1/0/1", "s1/0/2", "s1/1/3"), inflight());
    assertEquals(List.of("s1/1/4"), held());
    // A sample given up frees its slot as a result does.
    rules.result("s1/0/1");
    assertEquals(List.of("s1/0/2", "s1/1/3", "s1/1/4"), inflight());
  }

  private void asynchronous(String search, int drawnFrom, int draw) {
    String id = SampleIds.of(search, drawnFrom, draw);
    rules.sample(search, id, DispatchEvents.NO_ITERATION, payload(id));
  }

  private void draw(String search, int iteration, int k) {
    for (int index = 0; index < k; index++) {
      String id = SampleIds.of(search, iteration, index);
      rules.sample(search, id, iteration, payload(id));
    }
  }

  private static ByteBuffer payload(String text) {
    return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The samples published since the last call. */
  private List<String> taken() {
    List<String> out = List.copyOf(published);
    published.clear();
    return out;
  }

  /** The admission changes since the last call. */
  private List<String> admissions() {
    List<String> out = List.copyOf(admissions);
    admissions.clear();
    return out;
  }

  private List<String> held() {
    return team.getHeld().stream().map(HeldSample::getSampleId).toList();
  }

  private List<String> inflight() {
    return team.getInflight().stream().map(SampleSlot::getSampleId).toList();
  }
}
