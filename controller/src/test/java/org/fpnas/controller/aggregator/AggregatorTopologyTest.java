package org.fpnas.controller.aggregator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.fpnas.client.fold.SearchModels;
import org.fpnas.client.wire.WireConversions;
import org.fpnas.controller.Fixtures;
import org.fpnas.core.SearchState;
import org.fpnas.schemas.avro.DeadLetter;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.EvaluationResult;
import org.fpnas.schemas.avro.SearchSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class AggregatorTopologyTest {
  @TempDir Path stateDir;

  private AggregatorHarness h;

  @BeforeEach
  void start() {
    h = new AggregatorHarness(stateDir);
  }

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void aSubmittedSearchGetsItsInitialDistribution() {
    SearchSpec spec = Fixtures.spec("s1", Map.of("seed", "3"));
    h.submit(spec);
    List<DistributionUpdate> out = h.updates();
    assertEquals(1, out.size());
    DistributionUpdate first = out.get(0);
    SearchState reference = Fixtures.reference(spec).get(0);
    assertEquals(0, first.getIteration());
    assertEquals(reference.sampleCount(), first.getSampleCount());
    assertBitIdentical(reference, first);
  }

  @Test
  void theDistributionsMatchTheInProcessReferenceBitForBitWhateverTheResultOrder() {
    SearchSpec spec =
        Fixtures.spec(
            "s1",
            Map.of(
                "seed",
                "5",
                "maxIterations",
                "12",
                "factorizedIterations",
                "4",
                "learningRate",
                "0.1"));
    List<SearchState> reference = Fixtures.reference(spec);
    List<DistributionUpdate> published = h.runToEnd(spec, new Random(1));
    assertEquals(reference.size(), published.size());
    for (int t = 0; t < published.size(); t++) {
      assertBitIdentical(reference.get(t), published.get(t));
    }
    DistributionUpdate last = published.get(published.size() - 1);
    assertTrue(last.getDone());
    assertEquals("max-iterations", last.getStopReason());
    assertEquals(
        reference.get(reference.size() - 1).distribution().mode(),
        WireConversions.architecture(last.getMode()));
    assertEquals(
        org.fpnas.schemas.avro.DistributionPhase.JOINT,
        last.getPhase(),
        "switched to JD at iteration 4");
    assertEquals(org.fpnas.schemas.avro.DistributionPhase.FACTORIZED, published.get(3).getPhase());
    assertEquals(org.fpnas.schemas.avro.DistributionPhase.JOINT, published.get(4).getPhase());
  }

  @Test
  void aDuplicateResultIsDroppedBySampleId() {
    SearchSpec spec = Fixtures.spec("s1", Map.of("seed", "5"));
    h.submit(spec);
    DistributionUpdate first = h.updates().get(0);
    List<EvaluationResult> results = Fixtures.results(spec, first);
    h.send(results.get(0));
    h.send(results.get(0));
    results.subList(1, results.size() - 1).forEach(h::send);
    assertTrue(h.updates().isEmpty(), "a duplicate must not complete the iteration");
    h.send(results.get(results.size() - 1));
    DistributionUpdate next = single(h.updates());
    assertEquals(first.getSampleCount(), next.getSamplesUsed());
    assertBitIdentical(Fixtures.reference(spec).get(1), next);
    assertEquals(1, h.tally("s1").getDuplicates());
  }

  @Test
  void resultsOfAClosedIterationAreCountedAndIgnored() {
    SearchSpec spec = Fixtures.spec("s1", Map.of("seed", "5"));
    h.submit(spec);
    DistributionUpdate first = h.updates().get(0);
    List<EvaluationResult> results = Fixtures.results(spec, first);
    results.forEach(h::send);
    single(h.updates());
    h.send(results.get(1));
    assertTrue(h.updates().isEmpty());
    assertEquals(1, h.tally("s1").getLate());
    assertTrue(h.pending("s1").isEmpty());
  }

  @Test
  void aFailedResultClosesItsSampleButNeverCountsAsALikelihood() {
    SearchSpec spec = Fixtures.spec("s1", Map.of("seed", "5"));
    h.submit(spec);
    DistributionUpdate first = h.updates().get(0);
    List<EvaluationResult> results = new ArrayList<>(Fixtures.results(spec, first));
    results.set(0, Fixtures.failed("s1", 0, 0, "out of memory"));
    results.forEach(h::send);
    DistributionUpdate next = single(h.updates());
    assertEquals(first.getSampleCount() - 1, next.getSamplesUsed());
    assertEquals(1, next.getSamplesMissing());
    assertFalse(next.getUsedSampleIds().contains("s1/0/0"));
    assertEquals(1, h.tally("s1").getFailed());
    // The same update as the core's on the other results.
    var model = SearchModels.parse(spec);
    var state = WireConversions.state(model.space(), first);
    var evaluations = new ArrayList<org.fpnas.core.Evaluation>();
    for (EvaluationResult r : results.subList(1, results.size())) {
      evaluations.add(
          new org.fpnas.core.Evaluation(
              r.getIndex(),
              org.fpnas.core.Sampler.sample(state.distribution(), spec.getSeed(), 0, r.getIndex()),
              r.getLogLikelihood(),
              r.getCost()));
    }
    assertBitIdentical(model.fpnas().update(state, evaluations).next(), next);
  }

  @Test
  void twoInterleavedSearchesKeepTheirOwnState() {
    SearchSpec a = Fixtures.spec("sa", Map.of("seed", "1", "maxIterations", "6"));
    SearchSpec b =
        Fixtures.spec("sb", Map.of("seed", "2", "maxIterations", "6", "learningRate", "0.2"));
    h.submit(a);
    h.submit(b);
    List<DistributionUpdate> pa = new ArrayList<>();
    List<DistributionUpdate> pb = new ArrayList<>();
    route(h.updates(), pa, pb);
    while (!pa.get(pa.size() - 1).getDone() || !pb.get(pb.size() - 1).getDone()) {
      List<EvaluationResult> ra =
          pa.get(pa.size() - 1).getDone() ? List.of() : Fixtures.results(a, pa.get(pa.size() - 1));
      List<EvaluationResult> rb =
          pb.get(pb.size() - 1).getDone() ? List.of() : Fixtures.results(b, pb.get(pb.size() - 1));
      for (int i = 0; i < Math.max(ra.size(), rb.size()); i++) {
        if (i < rb.size()) {
          h.send(rb.get(i));
        }
        if (i < ra.size()) {
          h.send(ra.get(i));
        }
      }
      route(h.updates(), pa, pb);
    }
    List<SearchState> refA = Fixtures.reference(a);
    List<SearchState> refB = Fixtures.reference(b);
    assertEquals(refA.size(), pa.size());
    assertEquals(refB.size(), pb.size());
    for (int t = 0; t < pa.size(); t++) {
      assertBitIdentical(refA.get(t), pa.get(t));
      assertBitIdentical(refB.get(t), pb.get(t));
    }
  }

  @Test
  void theFinalUpdateIsMarkedDoneAndLaterResultsAreLate() {
    SearchSpec spec = Fixtures.spec("s1", Map.of("seed", "9", "maxIterations", "3"));
    List<DistributionUpdate> published = h.runToEnd(spec, new Random(2));
    DistributionUpdate last = published.get(published.size() - 1);
    assertEquals(4, published.size());
    assertTrue(last.getDone());
    assertEquals(3, last.getIteration());
    h.send(Fixtures.ok("s1", 3, 0, -1.0, 1.0));
    assertTrue(h.updates().isEmpty());
    assertEquals(1, h.tally("s1").getLate());
  }

  @Test
  void badInputGoesToTheDeadLetterQueueAndChangesNothing() {
    SearchSpec spec = Fixtures.spec("s1", Map.of("seed", "5"));
    h.submit(spec);
    DistributionUpdate first = h.updates().get(0);
    h.sendRaw("s1", "not avro".getBytes());
    h.sendRaw("s1", new byte[] {1, 0, 0, 0, 1, 0});
    h.send(Fixtures.ok("nobody", 0, 0, -1, 1));
    h.send(Fixtures.ok("s1", 7, 0, -1, 1));
    h.send(Fixtures.ok("s1", 0, 999, -1, 1));
    List<DeadLetter> letters = h.deadLetters();
    assertEquals(5, letters.size());
    assertTrue(
        letters.get(0).getError().contains("not Confluent wire format"), letters.get(0).getError());
    assertTrue(letters.get(1).getError().contains("magic byte 0x01"), letters.get(1).getError());
    assertTrue(
        letters.get(2).getError().contains("unknown search nobody"), letters.get(2).getError());
    assertTrue(letters.get(3).getError().contains("iteration 7"), letters.get(3).getError());
    assertTrue(letters.get(4).getError().contains("index 999"), letters.get(4).getError());
    assertEquals("aggregator", letters.get(0).getService());
    assertEquals(AggregatorHarness.EVALUATIONS, letters.get(0).getSourceTopic());
    assertTrue(h.updates().isEmpty());
    assertTrue(h.pending("s1").isEmpty());
    // The search still completes normally, with exactly the reference distribution.
    Fixtures.results(spec, first).forEach(h::send);
    assertBitIdentical(Fixtures.reference(spec).get(1), single(h.updates()));
  }

  @Test
  void aNanLikelihoodOrANegativeCostCountsAsFailedAndIsReported() {
    SearchSpec spec = Fixtures.spec("s1", Map.of("seed", "5"));
    h.submit(spec);
    DistributionUpdate first = h.updates().get(0);
    List<EvaluationResult> results = new ArrayList<>(Fixtures.results(spec, first));
    results.set(0, Fixtures.ok("s1", 0, 0, Double.NaN, 1.0));
    results.set(1, Fixtures.ok("s1", 0, 1, -3.0, -1.0));
    results.forEach(h::send);
    DistributionUpdate next = single(h.updates());
    assertEquals(first.getSampleCount() - 2, next.getSamplesUsed());
    List<DeadLetter> letters = h.deadLetters();
    assertEquals(2, letters.size());
    assertTrue(letters.get(0).getError().contains("log-likelihood NaN"), letters.get(0).getError());
    assertTrue(letters.get(1).getError().contains("cost -1.0"), letters.get(1).getError());
  }

  @Test
  void anInvalidSpecIsRejectedWithItsReason() {
    SearchSpec good = Fixtures.spec("s1", Map.of());
    SearchSpec bad =
        SearchSpec.newBuilder(good).setHyperparameters(Map.of("learningRate", "fast")).build();
    h.submit(bad);
    assertTrue(h.updates().isEmpty());
    DeadLetter letter = single(h.deadLetters());
    assertTrue(letter.getError().contains("learningRate"), letter.getError());
  }

  private static void route(
      List<DistributionUpdate> updates, List<DistributionUpdate> a, List<DistributionUpdate> b) {
    for (DistributionUpdate u : updates) {
      (u.getSearchId().equals("sa") ? a : b).add(u);
    }
  }

  private static <T> T single(List<T> list) {
    assertEquals(1, list.size(), "exactly one record expected: " + list);
    return list.get(0);
  }

  public static void assertBitIdentical(SearchState expected, DistributionUpdate actual) {
    double[][] logits = WireConversions.matrix(actual.getLogits());
    double[][] ref = expected.distribution().logits();
    assertEquals(ref.length, logits.length);
    for (int l = 0; l < ref.length; l++) {
      assertArrayEquals(
          bits(ref[l]),
          bits(logits[l]),
          "logits of layer " + l + " at iteration " + actual.getIteration());
    }
    assertEquals(expected.iteration(), actual.getIteration());
    assertEquals(expected.sampleCount(), actual.getSampleCount());
    assertEquals(expected.distribution().version(), actual.getVersion());
    assertEquals(expected.done(), actual.getDone());
    assertEquals(expected.adamStep(), actual.getAdamStep());
    assertNull(expected.done() ? null : actual.getStopReason());
  }

  private static long[] bits(double[] v) {
    long[] out = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = Double.doubleToRawLongBits(v[i]);
    }
    return out;
  }

  @Test
  void aSpecTooLargeForTheWireIsDeadLetteredAndTheOthersGoOn() {
    // Written past the client's checks: 40 layers of 2 x 30 choices, 36,000 joint logits.
    StringBuilder yaml = new StringBuilder("name: wide\nlayers:\n");
    for (int l = 0; l < 40; l++) {
      yaml.append("  - name: l").append(l).append("\n    variables:\n");
      for (String v : new String[] {"a", "b"}) {
        yaml.append("      ").append(v).append(": [");
        for (int c = 0; c < 30; c++) {
          yaml.append(c == 0 ? "" : ", ").append("c").append(c);
        }
        yaml.append("]\n");
      }
    }
    SearchSpec huge =
        SearchSpec.newBuilder(Fixtures.spec("huge", Map.of()))
            .setSpace(org.fpnas.core.space.SearchSpace.parse(yaml.toString(), "wide").toJson())
            .build();
    h.submit(huge);
    assertTrue(h.updates().isEmpty(), "no distribution too large for the topic is produced");
    assertTrue(
        single(h.deadLetters()).getError().contains("a distribution event can carry"),
        "the reason goes to the team");
    h.submit(Fixtures.spec("s1", Map.of("fixedK", "3")));
    assertEquals(1, h.updates().size(), "the next search starts as usual");
  }
}
