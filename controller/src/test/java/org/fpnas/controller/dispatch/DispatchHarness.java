package org.fpnas.controller.dispatch;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.fpnas.client.fold.SearchModels;
import org.fpnas.client.wire.WireConversions;
import org.fpnas.controller.Fixtures;
import org.fpnas.controller.StreamsSettings;
import org.fpnas.controller.internals.DispatchEvents;
import org.fpnas.controller.internals.PoolPacing;
import org.fpnas.controller.internals.Samples;
import org.fpnas.core.FpNas;
import org.fpnas.core.SearchState;
import org.fpnas.schemas.Codecs;
import org.fpnas.schemas.LocalSchemaStore;
import org.fpnas.schemas.TeamSettings;
import org.fpnas.schemas.Topics;
import org.fpnas.schemas.avro.ArchitectureSample;
import org.fpnas.schemas.avro.DeadLetter;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.SearchAdmission;
import org.fpnas.schemas.avro.SearchSpec;
import org.fpnas.schemas.avro.TeamDispatch;

/**
 * The dispatcher topology in a {@link TopologyTestDriver} under the production Streams settings,
 * team {@code default}, with the test acting as the aggregator (which draws the samples and hands
 * them to the dispatcher) and the evaluators.
 */
public final class DispatchHarness implements AutoCloseable {
  public static final String TEAM = "default";
  public static final String EVALUATIONS = "fpnas.default.evaluations";
  public static final String SAMPLES = "fpnas.default.samples";
  public static final String ADMISSIONS = "fpnas.default.admissions";
  public static final String DLQ = "fpnas.default.dlq";

  private static final String APPLICATION_ID = "dispatch-test";

  public final Codecs codecs = Codecs.of(new LocalSchemaStore());
  private final TopologyTestDriver driver;
  private final Map<String, SearchSpec> specs = new HashMap<>();
  private final TestInputTopic<String, byte[]> dispatchSamples;
  private final TestInputTopic<String, byte[]> evaluations;
  private final TestInputTopic<String, byte[]> teams;
  private final TestInputTopic<String, byte[]> redispatch;
  private final TestOutputTopic<String, byte[]> samples;
  private final TestOutputTopic<String, byte[]> admissions;
  private final TestOutputTopic<String, byte[]> dlq;

  private final TestOutputTopic<String, byte[]> dispatchChangelog;
  private TestInputTopic<String, String> poolDemand;
  private TestOutputTopic<String, String> poolDemandOut;

  public DispatchHarness(Path stateDir) {
    this(stateDir, PoolPacing.off());
  }

  /** The dispatcher paced to an evaluator pool ({@link PoolPacing}). */
  public DispatchHarness(Path stateDir, PoolPacing pacing) {
    driver =
        new TopologyTestDriver(
            DispatchTopology.build(codecs, pacing),
            StreamsSettings.production(APPLICATION_ID, "unused:9092", stateDir));
    dispatchChangelog =
        driver.createOutputTopic(
            APPLICATION_ID + "-" + DispatchTopology.DISPATCH + "-changelog",
            new StringDeserializer(),
            new ByteArrayDeserializer());
    if (pacing.on()) {
      poolDemand =
          driver.createInputTopic(PoolDemand.TOPIC, new StringSerializer(), new StringSerializer());
      poolDemandOut =
          driver.createOutputTopic(
              PoolDemand.TOPIC, new StringDeserializer(), new StringDeserializer());
    }
    StringSerializer keys = new StringSerializer();
    ByteArraySerializer values = new ByteArraySerializer();
    dispatchSamples = driver.createInputTopic(Topics.DISPATCH_SAMPLES_TOPIC, keys, values);
    evaluations = driver.createInputTopic(EVALUATIONS, keys, values);
    teams = driver.createInputTopic(TeamSettings.TOPIC, keys, values);
    redispatch = driver.createInputTopic(Topics.REDISPATCH_TOPIC, keys, values);
    samples =
        driver.createOutputTopic(SAMPLES, new StringDeserializer(), new ByteArrayDeserializer());
    admissions =
        driver.createOutputTopic(ADMISSIONS, new StringDeserializer(), new ByteArrayDeserializer());
    dlq = driver.createOutputTopic(DLQ, new StringDeserializer(), new ByteArrayDeserializer());
  }

  /** The first distribution of a search, as the aggregator publishes it. */
  public static DistributionUpdate initial(SearchSpec spec) {
    var model = SearchModels.parse(spec);
    SearchState s = new FpNas(model.space(), model.hyperparameters()).initial();
    return WireConversions.update(spec.getSearchId(), spec.getTeam(), s, model.fpnas(), 0L).build();
  }

  /** A search the test will publish distributions of. */
  public void submit(SearchSpec spec) {
    specs.put(spec.getSearchId(), spec);
  }

  /**
   * A distribution of a submitted search, as the aggregator hands it to the dispatcher: its
   * iteration's samples, or the search's end for its last.
   */
  public void publish(DistributionUpdate u) {
    SearchSpec spec = specs.get(u.getSearchId());
    if (u.getDone()) {
      dispatchSamples.pipeInput(TEAM, DispatchEvents.ended(TEAM, u.getSearchId()));
      return;
    }
    for (byte[] event : sampleEvents(spec, u)) {
      dispatchSamples.pipeInput(TEAM, event);
    }
  }

  private List<byte[]> sampleEvents(SearchSpec spec, DistributionUpdate u) {
    var model = SearchModels.parse(spec);
    var d = WireConversions.distribution(model.space(), u);
    List<byte[]> out = new ArrayList<>();
    for (int k = 0; k < u.getSampleCount(); k++) {
      ArchitectureSample s = Samples.of(spec, model.fpnas(), d, u, k, 1, 0L);
      out.add(DispatchEvents.sample(s, codecs.samples().serialize(SAMPLES, s)));
    }
    return out;
  }

  /** An OK result of the sample, as an evaluator publishes it. */
  public void result(String searchId, int iteration, int index) {
    evaluations.pipeInput(
        searchId,
        codecs
            .results()
            .serialize(EVALUATIONS, Fixtures.ok(searchId, iteration, index, -1.0, 1.0)));
  }

  /**
   * The team's limits on {@code fpnas.teams}, as {@code fpnas team create} writes them (0: none).
   */
  public void limits(int maxInflight, int maxSearches) {
    TeamSettings s =
        new TeamSettings(TEAM, 1, maxInflight, maxSearches, 0, 0, TeamSettings.principalOf(TEAM));
    teams.pipeInput(TEAM, s.toJson().getBytes(StandardCharsets.UTF_8));
  }

  /** A sample dispatched again after a deadline, as the aggregator sends it. */
  public void redispatch(ArchitectureSample s) {
    redispatch.pipeInput(s.getSampleId(), codecs.samples().serialize(SAMPLES, s));
  }

  /** Another team's demand of the pool, as its dispatcher task publishes it. */
  public void otherTeamDemand(String team, int demand) {
    poolDemand.pipeInput(team, Integer.toString(demand));
  }

  /** The demands the dispatcher published since the last read, by team (the latest of each). */
  public java.util.Map<String, Integer> publishedDemand() {
    java.util.Map<String, Integer> out = new java.util.TreeMap<>();
    poolDemandOut.readRecordsToList().forEach(r -> out.put(r.key(), Integer.parseInt(r.value())));
    return out;
  }

  /** A team's settings with the given weight and no limits. */
  public void weight(String team, double weight) {
    TeamSettings s = new TeamSettings(team, weight, 0, 0, 0, 0, TeamSettings.principalOf(team));
    teams.pipeInput(team, s.toJson().getBytes(StandardCharsets.UTF_8));
  }

  public void advance(Duration d) {
    driver.advanceWallClockTime(d);
  }

  /** The records published on the samples topic since the last read. */
  public List<TestRecord<String, byte[]>> sampleRecords() {
    return samples.readRecordsToList();
  }

  /** The samples published since the last read, decoded. */
  public List<ArchitectureSample> samples() {
    return decode(sampleRecords());
  }

  public boolean noSamples() {
    return samples.isEmpty();
  }

  public List<ArchitectureSample> decode(List<TestRecord<String, byte[]>> records) {
    List<ArchitectureSample> out = new ArrayList<>();
    records.forEach(r -> out.add(codecs.samples().deserialize(SAMPLES, r.value())));
    return out;
  }

  /** The next admission record. */
  public SearchAdmission admission() {
    return codecs.admissions().deserialize(ADMISSIONS, admissions.readValue());
  }

  /** The admission records published since the last read. */
  public List<SearchAdmission> admissions() {
    List<SearchAdmission> out = new ArrayList<>();
    admissions
        .readRecordsToList()
        .forEach(r -> out.add(codecs.admissions().deserialize(ADMISSIONS, r.value())));
    return out;
  }

  /** The dead letters published since the last read. */
  public List<DeadLetter> deadLetters() {
    List<DeadLetter> out = new ArrayList<>();
    dlq.readRecordsToList().forEach(r -> out.add(codecs.deadLetters().deserialize(DLQ, r.value())));
    return out;
  }

  /** The team's dispatcher state, or null when the team never went through the dispatcher. */
  public TeamDispatch dispatchState() {
    KeyValueStore<String, TeamDispatch> store = driver.getKeyValueStore(DispatchTopology.DISPATCH);
    return store.get(TEAM);
  }

  /**
   * How many times the dispatcher wrote a team's state since the last read: the records on its
   * store's changelog (the harness runs without a record cache, so every write is one).
   */
  public int dispatchWrites() {
    return dispatchChangelog.readRecordsToList().size();
  }

  @Override
  public void close() {
    driver.close();
  }
}
