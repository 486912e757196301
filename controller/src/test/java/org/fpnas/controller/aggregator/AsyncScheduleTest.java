package org.fpnas.controller.aggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.fpnas.client.history.Replay;
import org.fpnas.client.history.WhatIf;
import org.fpnas.client.wire.WireConversions;
import org.fpnas.controller.Fixtures;
import org.fpnas.controller.internals.DispatchEvents;
import org.fpnas.controller.internals.PoolPacing;
import org.fpnas.core.FpNas;
import org.fpnas.core.Hyperparameters;
import org.fpnas.core.space.Architecture;
import org.fpnas.schemas.avro.ArchitectureSample;
import org.fpnas.schemas.avro.DispatchKind;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.EvaluationResult;
import org.fpnas.schemas.avro.SearchSpec;
import org.fpnas.schemas.avro.SearchTally;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The asynchronous schedule through the real aggregator topology: the window stays in flight, each
 * result brings a draw from the distribution of that moment, every B results make one update that
 * names them, and the recorded events replay bit for bit.
 */
class AsyncScheduleTest {
  private static final Map<String, String> SETTINGS =
      Map.of("seed", "5", "maxIterations", "12", "schedule", "asynchronous");

  @TempDir Path dir;

  private final AtomicInteger poolWindow = new AtomicInteger(10);
  private AggregatorHarness h;

  @AfterEach
  void stop() {
    if (h != null) {
      h.close();
    }
  }

  private AggregatorHarness harness(Deadlines deadlines) {
    h =
        new AggregatorHarness(
            dir.resolve("state"),
            deadlines,
            PartitionCounts.SINGLE,
            PoolPacing.following(poolWindow::get));
    return h;
  }

  /**
   * With the pool's window above and below the update batch: an update every B results either way,
   * however few are in flight.
   */
  @ParameterizedTest(name = "pool window {0}")
  @ValueSource(ints = {4, 10})
  void theWindowStaysInFlightAndEveryBResultsMakeOneUpdateThatReplaysBitForBit(int pool) {
    poolWindow.set(pool);
    harness(Deadlines.DEFAULT);
    SearchSpec spec = Fixtures.spec("a1", SETTINGS);
    h.submit(spec);
    DistributionUpdate first = h.updates().get(0);
    List<ArchitectureSample> inFlight = new ArrayList<>(drawn());
    assertEquals(window(first), inFlight.size());
    Random order = new Random(7);
    Set<String> ids = new HashSet<>();
    inFlight.forEach(s -> ids.add(s.getSampleId()));
    List<DistributionUpdate> updates = new ArrayList<>(List.of(first));
    int sinceUpdate = 0;
    while (!updates.get(updates.size() - 1).getDone()) {
      DistributionUpdate current = updates.get(updates.size() - 1);
      ArchitectureSample done = inFlight.remove(order.nextInt(inFlight.size()));
      h.send(result(spec, done));
      sinceUpdate++;
      List<DistributionUpdate> published = h.updates();
      if (sinceUpdate < current.getSampleCount()) {
        assertTrue(published.isEmpty(), "an update before B results");
      } else {
        assertEquals(1, published.size(), () -> h.tally("a1") + " " + h.deadLetters());
        DistributionUpdate next = published.get(0);
        assertEquals(current.getSampleCount(), next.getUsedSampleIds().size());
        updates.add(next);
        sinceUpdate = 0;
      }
      DistributionUpdate now = updates.get(updates.size() - 1);
      for (ArchitectureSample s : drawn()) {
        assertTrue(ids.add(s.getSampleId()), "drawn twice: " + s.getSampleId());
        // Drawn from the distribution of the moment: the one after the update, if there was one.
        assertEquals(now.getIteration(), s.getIteration());
        assertTrue(s.getAsynchronous());
        inFlight.add(s);
      }
      // The window, or what the remaining updates take at the current K (drawn before K fell,
      // a few more may be in flight).
      int window = window(now);
      int left = now.getSampleCount() * (12 - now.getIteration()) - sinceUpdate;
      if (!now.getDone()) {
        assertTrue(inFlight.size() >= Math.min(window, left), "window kept full");
        assertTrue(inFlight.size() <= window, "never more than the window");
      }
    }
    assertEquals(12, updates.get(updates.size() - 1).getIteration());
    // Near the budget the search draws only what its last updates take: of the 10 in flight, few
    // are left unused at the end (K only falls, so at most what it fell by).
    assertTrue(inFlight.size() < poolWindow.get() / 2, "left in flight: " + inFlight.size());
    Replay.Report replay = Replay.verify(h.log(spec));
    assertTrue(replay.identical(), String.valueOf(replay.firstMismatch()));
    assertEquals(12, replay.iterationsChecked());
    // Some updates took results drawn from older distributions.
    assertTrue(
        h.sent.stream()
            .anyMatch(
                r ->
                    updates.stream()
                        .anyMatch(
                            u ->
                                u.getUsedSampleIds().contains(r.getSampleId())
                                    && u.getIteration() > r.getIteration() + 1)));
    // With no setting changed, a what-if regenerates each result's architecture and agrees.
    assertTrue(WhatIf.run(h.log(spec), Map.of()).sameFinalArchitecture());
  }

  @Test
  void aDuplicateALateAndAnUndrawnResultAreToldApart() {
    poolWindow.set(0);
    harness(Deadlines.DEFAULT);
    SearchSpec spec = Fixtures.spec("a2", SETTINGS);
    h.submit(spec);
    DistributionUpdate first = h.updates().get(0);
    List<ArchitectureSample> drawn = drawn();
    assertEquals(first.getSampleCount(), drawn.size());
    EvaluationResult r0 = result(spec, drawn.get(0));
    h.send(r0);
    h.send(r0);
    SearchTally tally = h.tally("a2");
    assertEquals(1, tally.getDuplicates());
    assertEquals(1, drawn().size(), "one draw per counted result");
    h.send(Fixtures.ok("a2", 0, 999, -1, 1));
    assertEquals(1, h.deadLetters().size());
    for (int k = 1; k < drawn.size(); k++) {
      h.send(result(spec, drawn.get(k)));
    }
    assertEquals(1, h.updates().size());
    h.send(r0);
    assertEquals(1, h.tally("a2").getLate(), "a result already used is late");
  }

  @Test
  void aLostSampleIsSentAgainThenGivenUpAndReplaced() {
    poolWindow.set(0);
    harness(new Deadlines(Duration.ofSeconds(5), 2, Duration.ofSeconds(1)));
    SearchSpec spec = Fixtures.spec("a3", SETTINGS);
    h.submit(spec);
    h.updates();
    List<ArchitectureSample> drawn = drawn();
    assertTrue(first(spec).getSampleCount() > 2, "B large enough for no update to close");
    // Every sample but the first answers at once.
    for (int k = 1; k < drawn.size(); k++) {
      h.send(result(spec, drawn.get(k)));
    }
    List<ArchitectureSample> replacements = drawn();
    assertEquals(drawn.size() - 1, replacements.size());
    h.advance(Duration.ofSeconds(6));
    List<ArchitectureSample> again = h.redispatched();
    assertTrue(again.stream().anyMatch(s -> s.getSampleId().equals(drawn.get(0).getSampleId())));
    assertTrue(again.stream().allMatch(s -> s.getAttempt() == 2));
    h.advance(Duration.ofSeconds(6));
    SearchTally tally = h.tally("a3");
    assertTrue(tally.getLost() >= 1);
    assertEquals(first(spec).getSampleCount(), tally.getInFlight(), "the window stays full");
    // The dispatcher frees the slot of every sample given up, and gets a new draw for each.
    assertTrue(
        h.dispatched().stream()
            .anyMatch(
                e ->
                    e.value().getKind() == DispatchKind.RESULT
                        && e.value().getSampleId().equals(drawn.get(0).getSampleId())
                        && e.value().getIteration() == DispatchEvents.NO_ITERATION));
    // A result for the sample given up no longer counts.
    h.send(result(spec, drawn.get(0)));
    assertEquals(1, h.tally("a3").getLate());
  }

  /** Samples the aggregator handed the dispatcher since the last call. */
  /** The samples a search keeps in flight: the pool's window, or B while it is unknown. */
  private int window(DistributionUpdate current) {
    return poolWindow.get() > 0 ? poolWindow.get() : current.getSampleCount();
  }

  private List<ArchitectureSample> drawn() {
    List<ArchitectureSample> out = new ArrayList<>();
    h.dispatched().stream()
        .filter(e -> e.value().getKind() == DispatchKind.SAMPLE)
        .forEach(
            e ->
                out.add(
                    h.codecs
                        .samples()
                        .deserialize("fpnas.default.samples", bytes(e.value().getPayload()))));
    return out;
  }

  private DistributionUpdate first(SearchSpec spec) {
    return h.published.stream()
        .filter(u -> u.getSearchId().equals(spec.getSearchId()))
        .findFirst()
        .orElseThrow();
  }

  private EvaluationResult result(SearchSpec spec, ArchitectureSample s) {
    Architecture a = WireConversions.architecture(s.getChoices());
    // The sample is the draw the seed and its distribution give.
    assertEquals(a, drawnAgain(spec, s));
    return Fixtures.ok(
        spec.getSearchId(),
        s.getIteration(),
        s.getIndex(),
        Fixtures.LANDSCAPE.logLikelihood(a, s.getIteration(), s.getIndex()),
        Fixtures.LANDSCAPE.cost(a));
  }

  private Architecture drawnAgain(SearchSpec spec, ArchitectureSample s) {
    DistributionUpdate from =
        h.published.stream()
            .filter(
                u ->
                    u.getSearchId().equals(s.getSearchId()) && u.getIteration() == s.getIteration())
            .findFirst()
            .orElseThrow();
    return new FpNas(Fixtures.SPACE, Hyperparameters.fromMap(spec.getHyperparameters()))
        .drawn(WireConversions.distribution(Fixtures.SPACE, from), s.getIndex());
  }

  private static byte[] bytes(java.nio.ByteBuffer buffer) {
    java.nio.ByteBuffer b = buffer.duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }
}
