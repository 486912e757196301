package org.fpnas.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.fpnas.core.FpNas;
import org.fpnas.core.SearchState;
import org.fpnas.schemas.Codecs;
import org.fpnas.schemas.LocalSchemaStore;
import org.fpnas.schemas.TeamSettings;
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

/** The sampler's dispatcher: a team's limits on samples in flight and on running searches (0: none). */
class DispatcherTest {
  private static final String TEAM = "default";
  private static final String SEARCHES = "fpnas.default.searches";
  private static final String DISTRIBUTIONS = "fpnas.default.distributions";
  private static final String EVALUATIONS = "fpnas.default.evaluations";
  private static final String SAMPLES = "fpnas.default.samples";
  private static final String ADMISSIONS = "fpnas.default.admissions";

  @TempDir
  Path stateDir;

  private final Codecs codecs = Codecs.of(new LocalSchemaStore());
  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> searches;
  private TestInputTopic<String, byte[]> distributions;
  private TestInputTopic<String, byte[]> evaluations;
  private TestInputTopic<String, byte[]> teams;
  private TestInputTopic<String, byte[]> redispatch;
  private TestOutputTopic<String, byte[]> samples;
  private TestOutputTopic<String, byte[]> admissions;

  @BeforeEach
  void start() {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "dispatcher-test");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver = new TopologyTestDriver(SamplerTopology.build(codecs), p);
    StringSerializer keys = new StringSerializer();
    ByteArraySerializer values = new ByteArraySerializer();
    searches = driver.createInputTopic(SEARCHES, keys, values);
    distributions = driver.createInputTopic(DISTRIBUTIONS, keys, values);
    evaluations = driver.createInputTopic(EVALUATIONS, keys, values);
    teams = driver.createInputTopic(TeamSettings.TOPIC, keys, values);
    redispatch = driver.createInputTopic(AggregatorTopology.REDISPATCH_TOPIC, keys, values);
    samples = driver.createOutputTopic(SAMPLES, new StringDeserializer(), new ByteArrayDeserializer());
    admissions = driver.createOutputTopic(ADMISSIONS, new StringDeserializer(), new ByteArrayDeserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
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
  void aTeamWithoutSettingsHasNoLimitsAndItsSamplesSkipTheDispatcher() {
    DistributionUpdate first = start("s1", 6);
    assertEquals(6, published().size());
    assertNull(state(), "no dispatcher state for a team without limits");
    // Dispatched again after a deadline: straight out as well.
    redispatchAll(first, 2);
    assertEquals(6, decode(samples.readRecordsToList()).stream().filter(s -> s.getAttempt() == 2).count());
  }

  @Test
  void aLimitSetWhileASearchRunsAppliesToItsNextSamples() {
    start("s1", 4);
    assertEquals(4, published().size());
    limits(1, 0);
    DistributionUpdate first = initial("s1", 4);
    publish(DistributionUpdate.newBuilder(first).setIteration(1).setVersion(first.getVersion() + 1).build());
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
    driver.advanceWallClockTime(Duration.ofSeconds(1)); // no result comes: the periodic check releases
    assertEquals(List.of("s1/0/1", "s1/0/2", "s1/0/3"), published());
    limits(2, 0);
    result("s1", 0, 0);
    result("s1", 0, 1);
    assertTrue(samples.isEmpty(), "2 in flight, at most 2: the results free no slot yet");
    result("s1", 0, 2);
    assertEquals(List.of("s1/0/4"), published());
  }

  @Test
  void aSecondSearchWaitsForASlotWithItsReasonAndStartsWhenTheFirstEnds() {
    limits(0, 1);
    DistributionUpdate first = start("s1", 3);
    assertEquals(3, published().size());
    start("s2", 3);
    assertTrue(samples.isEmpty(), "s2 waits");
    SearchAdmission waiting = admission();
    assertEquals("s2", waiting.getSearchId());
    assertEquals(AdmissionState.WAITING, waiting.getState());
    assertEquals(1, waiting.getPosition());
    assertTrue(waiting.getReason().contains("runs 1 of at most 1 searches"), waiting.getReason());
    publish(DistributionUpdate.newBuilder(first).setVersion(first.getVersion() + 1).setDone(true)
        .setStopReason("max-iterations").build());
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
    assertEquals(List.of(1, 2), admissions.readRecordsToList().stream()
        .map(r -> codecs.admissions().deserialize(ADMISSIONS, r.value()).getPosition()).toList());
    limits(0, 2);
    driver.advanceWallClockTime(Duration.ofSeconds(1));
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
    List<ArchitectureSample> again = decode(samples.readRecordsToList());
    assertEquals(1, again.size(), "only the one in flight is published again");
    assertEquals("s1/0/0", again.get(0).getSampleId());
    assertEquals(2, again.get(0).getAttempt());
    assertEquals(1, state().getInflight().size());
    result("s1", 0, 0);
    List<ArchitectureSample> next = decode(samples.readRecordsToList());
    assertEquals("s1/0/1", next.get(0).getSampleId());
    assertEquals(2, next.get(0).getAttempt(), "the held sample took the new attempt");
    result("s1", 0, 0); // the first attempt's result, late: frees nothing
    assertTrue(samples.isEmpty());
  }

  @Test
  void aClosedIterationFreesItsSlotsAndAnEndedSearchAllOfThem() {
    limits(2, 0);
    DistributionUpdate first = start("s1", 3);
    assertEquals(2, published().size());
    // The aggregator closed iteration 0 without results (deadline): iteration 1 takes the slots.
    publish(DistributionUpdate.newBuilder(first).setIteration(1).setVersion(first.getVersion() + 1).build());
    assertEquals(List.of("s1/1/0", "s1/1/1"), published());
    assertEquals(List.of("s1/1/2"), state().getHeld().stream().map(h -> h.getSampleId()).toList());
    publish(DistributionUpdate.newBuilder(first).setIteration(2).setVersion(first.getVersion() + 2).setDone(true)
        .build());
    assertEquals(0, state().getInflight().size());
    assertEquals(0, state().getHeld().size());
  }

  private void limits(int maxInflight, int maxSearches) {
    TeamSettings s = new TeamSettings(TEAM, 1, maxInflight, maxSearches, 0, 0, TeamSettings.principalOf(TEAM));
    teams.pipeInput(TEAM, s.toJson().getBytes(StandardCharsets.UTF_8));
  }

  /** Submits a search with a fixed K and publishes its first distribution, as the aggregator would. */
  private DistributionUpdate start(String id, int k) {
    SearchSpec spec = Fixtures.spec(id, Map.of("fixedK", Integer.toString(k), "seed", "3"));
    searches.pipeInput(id, codecs.specs().serialize(SEARCHES, spec));
    DistributionUpdate first = initial(id, k);
    publish(first);
    return first;
  }

  private static DistributionUpdate initial(String id, int k) {
    SearchSpec spec = Fixtures.spec(id, Map.of("fixedK", Integer.toString(k), "seed", "3"));
    var model = SearchModels.parse(spec);
    SearchState s = new FpNas(model.space(), model.hyperparameters()).initial();
    return WireConversions.update(id, spec.getTeam(), s, 0L).build();
  }

  private void publish(DistributionUpdate u) {
    distributions.pipeInput(u.getSearchId(), codecs.updates().serialize(DISTRIBUTIONS, u));
  }

  private void result(String searchId, int iteration, int index) {
    evaluations.pipeInput(searchId, codecs.results().serialize(EVALUATIONS,
        Fixtures.ok(searchId, iteration, index, -1.0, 1.0)));
  }

  /** Every sample of the iteration dispatched again, as the aggregator does when none has a result. */
  private void redispatchAll(DistributionUpdate u, int attempt) {
    SearchSpec spec = Fixtures.spec(u.getSearchId(), Map.of("fixedK", Integer.toString(u.getSampleCount()), "seed", "3"));
    var model = SearchModels.parse(spec);
    var d = WireConversions.distribution(model.space(), u);
    for (int k = 0; k < u.getSampleCount(); k++) {
      ArchitectureSample s = Samples.of(spec, 3, d, u, k, attempt, 5L);
      redispatch.pipeInput(s.getSampleId(), codecs.samples().serialize(SAMPLES, s));
    }
  }

  private List<String> published() {
    return decode(samples.readRecordsToList()).stream().map(ArchitectureSample::getSampleId).toList();
  }

  private List<ArchitectureSample> decode(List<org.apache.kafka.streams.test.TestRecord<String, byte[]>> records) {
    return SamplerTopologyTest.decode(codecs, records);
  }

  private SearchAdmission admission() {
    return codecs.admissions().deserialize(ADMISSIONS, admissions.readValue());
  }

  private TeamDispatch state() {
    KeyValueStore<String, TeamDispatch> store = driver.getKeyValueStore(SamplerTopology.DISPATCH);
    return store.get(TEAM);
  }
}
