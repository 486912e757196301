package org.fpnas.controller.aggregator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.fpnas.controller.Fixtures;
import org.fpnas.schemas.SearchPartitions;
import org.fpnas.schemas.avro.DeadLetter;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.EvaluationResult;
import org.fpnas.schemas.avro.SearchSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The aggregator's placement check. The test driver puts every record on partition 0; the
 * evaluations topic is said to have 4 partitions, so a result of a search whose id maps elsewhere
 * (murmur2) arrived where a client with another partitioner would have put it.
 */
class PlacementTest {
  private static final int EVALUATION_PARTITIONS = 4;

  @TempDir Path stateDir;

  private AggregatorHarness h;
  private String elsewhere;
  private String here;

  @BeforeEach
  void start() {
    PartitionCounts counts =
        (topic, seen) -> topic.equals(AggregatorHarness.EVALUATIONS) ? EVALUATION_PARTITIONS : 1;
    h = new AggregatorHarness(stateDir, Deadlines.DEFAULT, counts);
    elsewhere = searchOnPartition(p -> p != 0);
    here = searchOnPartition(p -> p == 0);
  }

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void aResultOnTheWrongPartitionIsForwardedUnchangedToItsSearchsPartitionAndNotCountedHere() {
    SearchSpec spec = Fixtures.spec(elsewhere, Map.of("seed", "5"));
    h.submit(spec);
    DistributionUpdate first = h.updates().get(0);
    EvaluationResult result = Fixtures.results(spec, first).get(0);
    byte[] bytes = h.codecs.results().serialize(AggregatorHarness.EVALUATIONS, result);
    h.sendRaw(elsewhere, bytes);

    List<TestRecord<String, byte[]>> forwarded = h.forwarded();
    assertEquals(1, forwarded.size());
    TestRecord<String, byte[]> copy = forwarded.get(0);
    assertEquals(elsewhere, copy.key());
    assertArrayEquals(bytes, copy.value(), "the bytes are forwarded as they are");
    String origin =
        new String(
            copy.headers().lastHeader(Placement.FORWARDED_FROM).value(), StandardCharsets.UTF_8);
    assertTrue(origin.startsWith(AggregatorHarness.EVALUATIONS + "-0@"), origin);
    assertTrue(h.pending(elsewhere).isEmpty(), "not counted on the wrong partition");
    // The driver reads the copy back on partition 0 again (it has one partition per topic), where
    // it is
    // still misplaced: it is dead-lettered once, not forwarded in a loop.
    assertTrue(single(h.deadLetters()).getError().contains("forwarded already from " + origin));
  }

  @Test
  void aForwardedRecordThatIsStillMisplacedGoesToTheDeadLetterQueueWithTheReason() {
    SearchSpec spec = Fixtures.spec(elsewhere, Map.of("seed", "5"));
    h.submit(spec);
    DistributionUpdate first = h.updates().get(0);
    byte[] bytes =
        h.codecs
            .results()
            .serialize(AggregatorHarness.EVALUATIONS, Fixtures.results(spec, first).get(0));
    RecordHeaders headers = new RecordHeaders();
    headers.add(
        Placement.FORWARDED_FROM,
        "fpnas.default.evaluations-3@17".getBytes(StandardCharsets.UTF_8));
    h.sendRaw(new TestRecord<>(elsewhere, bytes, headers));

    assertTrue(h.forwarded().isEmpty(), "forwarded once at most");
    DeadLetter letter = single(h.deadLetters());
    assertTrue(
        letter
            .getError()
            .contains(
                "belongs on partition " + SearchPartitions.of(elsewhere, EVALUATION_PARTITIONS)),
        letter.getError());
    assertTrue(letter.getError().contains("partition count changed"), letter.getError());
  }

  @Test
  void aResultOnItsSearchsPartitionIsHandledHereAndTheSearchCompletes() {
    SearchSpec spec = Fixtures.spec(here, Map.of("seed", "5"));
    h.submit(spec);
    DistributionUpdate first = h.updates().get(0);
    Fixtures.results(spec, first).forEach(h::send);
    assertTrue(h.forwarded().isEmpty());
    AggregatorTopologyTest.assertBitIdentical(Fixtures.reference(spec).get(1), single(h.updates()));
  }

  @Test
  void aResultUnderAnotherKeyThanItsSearchIdIsRejectedWithWhatToFix() {
    SearchSpec spec = Fixtures.spec(here, Map.of("seed", "5"));
    h.submit(spec);
    EvaluationResult result = Fixtures.results(spec, h.updates().get(0)).get(0);
    h.sendRaw(
        result.getSampleId(), h.codecs.results().serialize(AggregatorHarness.EVALUATIONS, result));
    DeadLetter letter = single(h.deadLetters());
    assertTrue(letter.getError().contains("key each result by its search id"), letter.getError());
    assertTrue(h.pending(here).isEmpty());
  }

  @Test
  void anUnreadableRecordIsDeadLetteredWhereItArrivedNotForwarded() {
    h.submit(Fixtures.spec(elsewhere, Map.of("seed", "5")));
    h.updates();
    h.sendRaw(elsewhere, "not avro".getBytes(StandardCharsets.UTF_8));
    assertTrue(h.forwarded().isEmpty());
    assertTrue(single(h.deadLetters()).getError().contains("not Confluent wire format"));
  }

  private static String searchOnPartition(java.util.function.IntPredicate partition) {
    return IntStream.range(0, 100)
        .mapToObj(i -> "search-" + i)
        .filter(id -> partition.test(SearchPartitions.of(id, EVALUATION_PARTITIONS)))
        .findFirst()
        .orElseThrow();
  }

  private static <T> T single(List<T> list) {
    assertEquals(1, list.size(), list.toString());
    return list.get(0);
  }
}
