package org.fpnas.controller.aggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.fpnas.client.history.Replay;
import org.fpnas.client.history.SearchLog;
import org.fpnas.schemas.PlainAvroSerde;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.EvaluationResult;
import org.fpnas.schemas.avro.SearchProgress;
import org.fpnas.schemas.avro.SearchSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A search recorded by the aggregator before its store was split ({@link SearchStores}): its
 * history replays identically, this aggregator publishes the very same distributions from its
 * results, and it takes the search over from a store state written in the old layout.
 */
class LegacyStateTest {
  private static final String FIXTURE = "/fixtures/history-before-store-split.txt";

  /** The recorded events, in order; {@code progress} is where the old store state was taken. */
  private record Recorded(
      SearchSpec spec,
      List<DistributionUpdate> updates,
      List<EvaluationResult> results,
      SearchProgress progress,
      int resultsBeforeProgress,
      int updatesBeforeProgress) {}

  @TempDir Path dir;

  private AggregatorHarness h;
  private Recorded recorded;

  @BeforeEach
  void start() throws IOException {
    h = new AggregatorHarness(dir.resolve("state"));
    recorded = read();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void theRecordedHistoryReplaysIdentical() {
    Replay.Report report =
        Replay.verify(new SearchLog(recorded.spec(), recorded.updates(), recorded.results()));
    assertTrue(report.identical(), String.valueOf(report.firstMismatch()));
    assertEquals(10, report.iterationsChecked());
  }

  @Test
  void theSameEventsGiveTheRecordedDistributionsBitForBit() {
    h.submit(recorded.spec());
    recorded.results().forEach(h::send);
    assertEquals(recorded.updates(), h.updates());
    SearchProgress end = h.progress("recorded");
    assertEquals(10, end.getDuplicates());
    assertEquals(9, end.getLate());
    assertEquals(1, end.getFailed());
  }

  @Test
  void aSearchInTheOldStoreLayoutIsTakenOverMidIteration() {
    SearchProgress old = recorded.progress();
    assertTrue(old.getPending().size() > 0 && old.getFailed() == 1, "the fixture is mid-iteration");
    h.restoreLegacy(old);
    List<EvaluationResult> rest =
        recorded.results().subList(recorded.resultsBeforeProgress(), recorded.results().size());
    rest.forEach(h::send);
    List<DistributionUpdate> expected =
        recorded.updates().subList(recorded.updatesBeforeProgress(), recorded.updates().size());
    assertEquals(expected, h.updates());
    assertNull(h.legacyProgress("recorded"), "moved out of the legacy store");
    SearchProgress end = h.progress("recorded");
    assertTrue(end.getCurrent().getDone());
    assertEquals(10, end.getDuplicates(), "counters carried over");
    assertEquals(9, end.getLate());
    assertEquals(1, end.getFailed());
  }

  @Test
  void theDeadlineCheckMovesAnUntouchedSearchOutOfTheOldLayout() {
    SearchProgress old = recorded.progress();
    h.restoreLegacy(old);
    h.advance(Duration.ofSeconds(2));
    assertNull(h.legacyProgress("recorded"));
    SearchProgress moved = h.progress("recorded");
    assertNotNull(moved);
    assertEquals(old.getSpec(), moved.getSpec());
    assertEquals(old.getCurrent(), moved.getCurrent());
    assertEquals(
        old.getPending().stream().map(EvaluationResult::getSampleId).sorted().toList(),
        moved.getPending().stream().map(EvaluationResult::getSampleId).sorted().toList());
    assertEquals(old.getAttempt(), moved.getAttempt());
    assertEquals(old.getDuplicates(), moved.getDuplicates());
    assertEquals(old.getLate(), moved.getLate());
    assertEquals(old.getIterationStartedAtMs(), moved.getIterationStartedAtMs());
    assertTrue(h.updates().isEmpty(), "nothing published by a move");
    assertTrue(
        h.sampleRecords().isEmpty(),
        "its results show the old sampler had sampled the iteration: not drawn again");
  }

  private static Recorded read() throws IOException {
    PlainAvroSerde<SearchSpec> specs = new PlainAvroSerde<>(SearchSpec.class);
    PlainAvroSerde<DistributionUpdate> updates = new PlainAvroSerde<>(DistributionUpdate.class);
    PlainAvroSerde<EvaluationResult> results = new PlainAvroSerde<>(EvaluationResult.class);
    PlainAvroSerde<SearchProgress> progress = new PlainAvroSerde<>(SearchProgress.class);
    SearchSpec spec = null;
    SearchProgress snapshot = null;
    List<DistributionUpdate> us = new ArrayList<>();
    List<EvaluationResult> rs = new ArrayList<>();
    int resultsBefore = -1;
    int updatesBefore = -1;
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(
                LegacyStateTest.class.getResourceAsStream(FIXTURE), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.startsWith("#") || line.isBlank()) {
          continue;
        }
        String[] kindAndBytes = line.split(" ", 2);
        byte[] bytes = Base64.getDecoder().decode(kindAndBytes[1]);
        switch (kindAndBytes[0]) {
          case "spec" -> spec = specs.deserialize(FIXTURE, bytes);
          case "update" -> us.add(updates.deserialize(FIXTURE, bytes));
          case "result" -> rs.add(results.deserialize(FIXTURE, bytes));
          case "progress" -> {
            snapshot = progress.deserialize(FIXTURE, bytes);
            resultsBefore = rs.size();
            updatesBefore = us.size();
          }
          default -> throw new IllegalStateException("unknown line in " + FIXTURE + ": " + line);
        }
      }
    }
    return new Recorded(spec, us, rs, snapshot, resultsBefore, updatesBefore);
  }
}
