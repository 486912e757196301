package org.fpnas.controller.aggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.fpnas.client.history.Replay;
import org.fpnas.controller.Fixtures;
import org.fpnas.schemas.avro.ArchitectureSample;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.EvaluationResult;
import org.fpnas.schemas.avro.SearchSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A slow or lost sample cannot stall a search: re-dispatch, then close with what there is. */
class DeadlineTest {
  private static final Deadlines DEADLINES =
      new Deadlines(Duration.ofSeconds(30), 3, Duration.ofSeconds(1));

  @TempDir Path stateDir;

  private AggregatorHarness h;

  @BeforeEach
  void start() {
    h = new AggregatorHarness(stateDir, DEADLINES);
  }

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void missingSamplesAreDispatchedAgainWithTheNextAttempt() {
    SearchSpec spec = Fixtures.spec("s1", Map.of("seed", "4", "k0", "6", "kMin", "2"));
    h.submit(spec);
    DistributionUpdate first = h.updates().get(0);
    List<EvaluationResult> results = Fixtures.results(spec, first);
    results.subList(0, results.size() - 2).forEach(h::send);
    h.advance(Duration.ofSeconds(10));
    assertTrue(h.redispatched().isEmpty(), "nothing before the deadline");
    h.advance(Duration.ofSeconds(25));
    List<ArchitectureSample> again = h.redispatched();
    assertEquals(2, again.size());
    for (ArchitectureSample s : again) {
      assertEquals(2, s.getAttempt());
      assertTrue(s.getIndex() >= results.size() - 2);
    }
    assertEquals(2, h.tally("s1").getRedispatched());
    // A result of the second attempt completes the iteration as usual.
    results.subList(results.size() - 2, results.size()).forEach(h::send);
    DistributionUpdate next = h.updates().get(0);
    assertEquals(first.getSampleCount(), next.getSamplesUsed());
    AggregatorTopologyTest.assertBitIdentical(Fixtures.reference(spec).get(1), next);
  }

  @Test
  void afterTheLastAttemptTheIterationClosesWithTheResultsItHasAndReplayAgrees() {
    SearchSpec spec =
        Fixtures.spec("s1", Map.of("seed", "4", "k0", "6", "kMin", "2", "maxIterations", "3"));
    h.submit(spec);
    DistributionUpdate first = h.updates().get(0);
    List<EvaluationResult> results = Fixtures.results(spec, first);
    int k = results.size();
    results.subList(0, k - 1).forEach(h::send);
    for (int attempt = 2; attempt <= 3; attempt++) {
      h.advance(Duration.ofSeconds(31));
      assertEquals(1, h.redispatched().size(), "attempt " + attempt);
    }
    assertTrue(h.updates().isEmpty());
    h.advance(Duration.ofSeconds(31));
    DistributionUpdate closed = h.updates().get(0);
    assertEquals(k - 1, closed.getSamplesUsed());
    assertEquals(1, closed.getSamplesMissing());
    assertEquals(k - 1, closed.getUsedSampleIds().size());
    // The late result is counted and ignored.
    h.send(results.get(k - 1));
    assertTrue(h.updates().isEmpty());
    assertEquals(1, h.tally("s1").getLate());
    // Finish the search and replay it: the closed iteration replays from its recorded result set.
    while (!h.published.get(h.published.size() - 1).getDone()) {
      Fixtures.results(spec, h.published.get(h.published.size() - 1)).forEach(h::send);
      h.updates();
    }
    Replay.Report report = Replay.verify(h.log(spec));
    assertTrue(report.identical(), String.valueOf(report.firstMismatch()));
  }

  @Test
  void withFewerThanKMinResultsAfterTheLastAttemptTheSearchEndsWhereItIs() {
    SearchSpec spec = Fixtures.spec("s1", Map.of("seed", "4", "k0", "6", "kMin", "4"));
    h.submit(spec);
    DistributionUpdate first = h.updates().get(0);
    Fixtures.results(spec, first).subList(0, 2).forEach(h::send);
    for (int attempt = 2; attempt <= 3; attempt++) {
      h.advance(Duration.ofSeconds(31));
      assertTrue(h.updates().isEmpty(), "2 results < kMin 4: no update on too little evidence");
    }
    h.advance(Duration.ofSeconds(31));
    List<DistributionUpdate> ended = h.updates();
    assertEquals(1, ended.size());
    DistributionUpdate last = ended.get(0);
    assertTrue(last.getDone());
    assertEquals("too-few-results", last.getStopReason());
    assertEquals(first.getLogits(), last.getLogits(), "ended where it was");
    assertTrue(h.tally("s1").getDone());
    h.advance(Duration.ofSeconds(31));
    assertTrue(h.redispatched().stream().allMatch(s -> s.getAttempt() <= 3), "nothing after");
    Replay.Report report = Replay.verify(h.log(spec));
    assertTrue(report.identical(), String.valueOf(report.firstMismatch()));
  }
}
