package org.fpnas.controller;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.fpnas.core.SearchResult;
import org.fpnas.core.SearchState;
import org.fpnas.schemas.LocalSchemaStore;
import org.fpnas.schemas.avro.DeadLetter;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.EvaluationResult;
import org.fpnas.schemas.avro.SearchProgress;
import org.fpnas.schemas.avro.SearchSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AggregatorTopologyTest {
  private static final String SEARCHES = "fpnas.default.searches";
  private static final String EVALUATIONS = "fpnas.default.evaluations";

  @TempDir
  Path stateDir;

  private final Codecs codecs = Codecs.of(new LocalSchemaStore());
  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> searches;
  private TestInputTopic<String, byte[]> evaluations;
  private TestOutputTopic<String, byte[]> distributions;
  private TestOutputTopic<String, byte[]> dlq;

  @BeforeEach
  void start() {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "aggregator-test");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver = new TopologyTestDriver(AggregatorTopology.build(codecs), p);
    searches = driver.createInputTopic(SEARCHES, new StringSerializer(), new ByteArraySerializer());
    evaluations = driver.createInputTopic(EVALUATIONS, new StringSerializer(), new ByteArraySerializer());
    distributions = driver.createOutputTopic("fpnas.default.distributions", new StringDeserializer(), new ByteArrayDeserializer());
    dlq = driver.createOutputTopic("fpnas.default.dlq", new StringDeserializer(), new ByteArrayDeserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  @Test
  void aSubmittedSearchGetsItsInitialDistribution() {
    SearchSpec spec = Fixtures.spec("s1", Map.of("seed", "3"));
    submit(spec);
    List<DistributionUpdate> out = updates();
    assertEquals(1, out.size());
    DistributionUpdate first = out.get(0);
    SearchState reference = Fixtures.reference(spec).states().get(0);
    assertEquals(0, first.getIteration());
    assertEquals(reference.sampleCount(), first.getSampleCount());
    assertBitIdentical(reference, first);
  }

  @Test
  void theDistributionsMatchTheInProcessReferenceBitForBitWhateverTheResultOrder() {
    SearchSpec spec = Fixtures.spec("s1", Map.of("seed", "5", "maxIterations", "12", "factorizedIterations", "4",
        "learningRate", "0.1"));
    SearchResult reference = Fixtures.reference(spec);
    List<DistributionUpdate> published = runToEnd(spec, new Random(1));
    assertEquals(reference.states().size(), published.size());
    for (int t = 0; t < published.size(); t++) {
      assertBitIdentical(reference.states().get(t), published.get(t));
    }
    DistributionUpdate last = published.get(published.size() - 1);
    assertTrue(last.getDone());
    assertEquals("max-iterations", last.getStopReason());
    assertEquals(reference.finalState().distribution().mode(), WireConversions.architecture(last.getMode()));
    assertEquals(org.fpnas.schemas.avro.DistributionPhase.JOINT, last.getPhase(), "switched to JD at iteration 4");
    assertEquals(org.fpnas.schemas.avro.DistributionPhase.FACTORIZED, published.get(3).getPhase());
    assertEquals(org.fpnas.schemas.avro.DistributionPhase.JOINT, published.get(4).getPhase());
  }

  @Test
  void aDuplicateResultIsDroppedBySampleId() {
    SearchSpec spec = Fixtures.spec("s1", Map.of("seed", "5"));
    submit(spec);
    DistributionUpdate first = updates().get(0);
    List<EvaluationResult> results = Fixtures.results(spec, first);
    send(results.get(0));
    send(results.get(0));
    results.subList(1, results.size() - 1).forEach(this::send);
    assertTrue(updates().isEmpty(), "a duplicate must not complete the iteration");
    send(results.get(results.size() - 1));
    DistributionUpdate next = single(updates());
    assertEquals(first.getSampleCount(), next.getSamplesUsed());
    assertBitIdentical(Fixtures.reference(spec).states().get(1), next);
    assertEquals(1, progress("s1").getDuplicates());
  }

  @Test
  void resultsOfAClosedIterationAreCountedAndIgnored() {
    SearchSpec spec = Fixtures.spec("s1", Map.of("seed", "5"));
    submit(spec);
    DistributionUpdate first = updates().get(0);
    List<EvaluationResult> results = Fixtures.results(spec, first);
    results.forEach(this::send);
    single(updates());
    send(results.get(1));
    assertTrue(updates().isEmpty());
    assertEquals(1, progress("s1").getLate());
    assertTrue(progress("s1").getPending().isEmpty());
  }

  @Test
  void aFailedResultClosesItsSampleButNeverCountsAsALikelihood() {
    SearchSpec spec = Fixtures.spec("s1", Map.of("seed", "5"));
    submit(spec);
    DistributionUpdate first = updates().get(0);
    List<EvaluationResult> results = new ArrayList<>(Fixtures.results(spec, first));
    results.set(0, Fixtures.failed("s1", 0, 0, "out of memory"));
    results.forEach(this::send);
    DistributionUpdate next = single(updates());
    assertEquals(first.getSampleCount() - 1, next.getSamplesUsed());
    assertEquals(1, next.getSamplesMissing());
    assertFalse(next.getUsedSampleIds().contains("s1/0/0"));
    assertEquals(1, progress("s1").getFailed());
    // The same update as the core's on the other results.
    var model = SearchModels.parse(spec);
    var state = WireConversions.state(model.space(), first);
    var evaluations = new ArrayList<org.fpnas.core.Evaluation>();
    for (EvaluationResult r : results.subList(1, results.size())) {
      evaluations.add(new org.fpnas.core.Evaluation(r.getIndex(),
          org.fpnas.core.Sampler.sample(state.distribution(), spec.getSeed(), 0, r.getIndex()), r.getLogLikelihood(), r.getCost()));
    }
    assertBitIdentical(model.fpnas().update(state, evaluations).next(), next);
  }

  @Test
  void twoInterleavedSearchesKeepTheirOwnState() {
    SearchSpec a = Fixtures.spec("sa", Map.of("seed", "1", "maxIterations", "6"));
    SearchSpec b = Fixtures.spec("sb", Map.of("seed", "2", "maxIterations", "6", "learningRate", "0.2"));
    submit(a);
    submit(b);
    List<DistributionUpdate> pa = new ArrayList<>();
    List<DistributionUpdate> pb = new ArrayList<>();
    route(updates(), pa, pb);
    while (!pa.get(pa.size() - 1).getDone() || !pb.get(pb.size() - 1).getDone()) {
      List<EvaluationResult> ra = pa.get(pa.size() - 1).getDone() ? List.of() : Fixtures.results(a, pa.get(pa.size() - 1));
      List<EvaluationResult> rb = pb.get(pb.size() - 1).getDone() ? List.of() : Fixtures.results(b, pb.get(pb.size() - 1));
      for (int i = 0; i < Math.max(ra.size(), rb.size()); i++) {
        if (i < rb.size()) {
          send(rb.get(i));
        }
        if (i < ra.size()) {
          send(ra.get(i));
        }
      }
      route(updates(), pa, pb);
    }
    SearchResult refA = Fixtures.reference(a);
    SearchResult refB = Fixtures.reference(b);
    assertEquals(refA.states().size(), pa.size());
    assertEquals(refB.states().size(), pb.size());
    for (int t = 0; t < pa.size(); t++) {
      assertBitIdentical(refA.states().get(t), pa.get(t));
      assertBitIdentical(refB.states().get(t), pb.get(t));
    }
  }

  @Test
  void theFinalUpdateIsMarkedDoneAndLaterResultsAreLate() {
    SearchSpec spec = Fixtures.spec("s1", Map.of("seed", "9", "maxIterations", "3"));
    List<DistributionUpdate> published = runToEnd(spec, new Random(2));
    DistributionUpdate last = published.get(published.size() - 1);
    assertEquals(4, published.size());
    assertTrue(last.getDone());
    assertEquals(3, last.getIteration());
    send(Fixtures.ok("s1", 3, 0, -1.0, 1.0));
    assertTrue(updates().isEmpty());
    assertEquals(1, progress("s1").getLate());
  }

  @Test
  void badInputGoesToTheDeadLetterQueueAndChangesNothing() {
    SearchSpec spec = Fixtures.spec("s1", Map.of("seed", "5"));
    submit(spec);
    DistributionUpdate first = updates().get(0);
    evaluations.pipeInput("s1", "not avro".getBytes());
    evaluations.pipeInput("s1", new byte[] {1, 0, 0, 0, 1, 0});
    send(Fixtures.ok("nobody", 0, 0, -1, 1));
    send(Fixtures.ok("s1", 7, 0, -1, 1));
    send(Fixtures.ok("s1", 0, 999, -1, 1));
    List<DeadLetter> letters = deadLetters();
    assertEquals(5, letters.size());
    assertTrue(letters.get(0).getError().contains("not Confluent wire format"), letters.get(0).getError());
    assertTrue(letters.get(1).getError().contains("magic byte 0x01"), letters.get(1).getError());
    assertTrue(letters.get(2).getError().contains("unknown search nobody"), letters.get(2).getError());
    assertTrue(letters.get(3).getError().contains("iteration 7"), letters.get(3).getError());
    assertTrue(letters.get(4).getError().contains("index 999"), letters.get(4).getError());
    assertEquals("aggregator", letters.get(0).getService());
    assertEquals(EVALUATIONS, letters.get(0).getSourceTopic());
    assertTrue(updates().isEmpty());
    assertTrue(progress("s1").getPending().isEmpty());
    // The search still completes normally, with exactly the reference distribution.
    Fixtures.results(spec, first).forEach(this::send);
    assertBitIdentical(Fixtures.reference(spec).states().get(1), single(updates()));
  }

  @Test
  void aNanLikelihoodOrANegativeCostCountsAsFailedAndIsReported() {
    SearchSpec spec = Fixtures.spec("s1", Map.of("seed", "5"));
    submit(spec);
    DistributionUpdate first = updates().get(0);
    List<EvaluationResult> results = new ArrayList<>(Fixtures.results(spec, first));
    results.set(0, Fixtures.ok("s1", 0, 0, Double.NaN, 1.0));
    results.set(1, Fixtures.ok("s1", 0, 1, -3.0, -1.0));
    results.forEach(this::send);
    DistributionUpdate next = single(updates());
    assertEquals(first.getSampleCount() - 2, next.getSamplesUsed());
    List<DeadLetter> letters = deadLetters();
    assertEquals(2, letters.size());
    assertTrue(letters.get(0).getError().contains("log-likelihood NaN"), letters.get(0).getError());
    assertTrue(letters.get(1).getError().contains("cost -1.0"), letters.get(1).getError());
  }

  @Test
  void anInvalidSpecIsRejectedWithItsReason() {
    SearchSpec good = Fixtures.spec("s1", Map.of());
    SearchSpec bad = SearchSpec.newBuilder(good).setHyperparameters(Map.of("learningRate", "fast")).build();
    submit(bad);
    assertTrue(updates().isEmpty());
    DeadLetter letter = single(deadLetters());
    assertTrue(letter.getError().contains("learningRate"), letter.getError());
  }

  private List<DistributionUpdate> runToEnd(SearchSpec spec, Random order) {
    submit(spec);
    List<DistributionUpdate> published = new ArrayList<>(updates());
    while (!published.get(published.size() - 1).getDone()) {
      List<EvaluationResult> results = new ArrayList<>(Fixtures.results(spec, published.get(published.size() - 1)));
      Collections.shuffle(results, order);
      results.forEach(this::send);
      published.add(single(updates()));
    }
    return published;
  }

  private static void route(List<DistributionUpdate> updates, List<DistributionUpdate> a, List<DistributionUpdate> b) {
    for (DistributionUpdate u : updates) {
      (u.getSearchId().equals("sa") ? a : b).add(u);
    }
  }

  private void submit(SearchSpec spec) {
    searches.pipeInput(spec.getSearchId(), codecs.specs().serialize(SEARCHES, spec));
  }

  private void send(EvaluationResult r) {
    evaluations.pipeInput(r.getSearchId(), codecs.results().serialize(EVALUATIONS, r));
  }

  private List<DistributionUpdate> updates() {
    List<DistributionUpdate> out = new ArrayList<>();
    distributions.readRecordsToList().forEach(r -> out.add(codecs.updates().deserialize("fpnas.default.distributions", r.value())));
    return out;
  }

  private List<DeadLetter> deadLetters() {
    List<DeadLetter> out = new ArrayList<>();
    dlq.readRecordsToList().forEach(r -> out.add(codecs.deadLetters().deserialize("fpnas.default.dlq", r.value())));
    return out;
  }

  private SearchProgress progress(String searchId) {
    KeyValueStore<String, SearchProgress> store = driver.getKeyValueStore(AggregatorTopology.STORE);
    return store.get(searchId);
  }

  private static <T> T single(List<T> list) {
    assertEquals(1, list.size(), "exactly one record expected: " + list);
    return list.get(0);
  }

  static void assertBitIdentical(SearchState expected, DistributionUpdate actual) {
    double[][] logits = WireConversions.matrix(actual.getLogits());
    double[][] ref = expected.distribution().logits();
    assertEquals(ref.length, logits.length);
    for (int l = 0; l < ref.length; l++) {
      assertArrayEquals(bits(ref[l]), bits(logits[l]), "logits of layer " + l + " at iteration " + actual.getIteration());
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
}
