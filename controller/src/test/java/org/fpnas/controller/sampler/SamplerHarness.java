package org.fpnas.controller.sampler;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.fpnas.controller.Fixtures;
import org.fpnas.controller.StreamsSettings;
import org.fpnas.controller.aggregator.AggregatorTopology;
import org.fpnas.controller.dispatch.PoolPacing;
import org.fpnas.controller.dispatch.internals.PoolDemand;
import org.fpnas.controller.fold.SearchModels;
import org.fpnas.controller.fold.WireConversions;
import org.fpnas.controller.internals.ControllerMetrics;
import org.fpnas.core.FpNas;
import org.fpnas.core.SearchState;
import org.fpnas.schemas.Codecs;
import org.fpnas.schemas.LocalSchemaStore;
import org.fpnas.schemas.TeamSettings;
import org.fpnas.schemas.avro.ArchitectureSample;
import org.fpnas.schemas.avro.DeadLetter;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.SearchAdmission;
import org.fpnas.schemas.avro.SearchSpec;
import org.fpnas.schemas.avro.TeamDispatch;

/**
 * The sampler topology (with its dispatcher) in a {@link TopologyTestDriver} under the production
 * Streams settings, team {@code default}, with the test acting as the aggregator and the
 * evaluators.
 */
public final class SamplerHarness implements AutoCloseable {
  public static final String TEAM = "default";
  public static final String SEARCHES = "fpnas.default.searches";
  public static final String DISTRIBUTIONS = "fpnas.default.distributions";
  public static final String EVALUATIONS = "fpnas.default.evaluations";
  public static final String SAMPLES = "fpnas.default.samples";
  public static final String ADMISSIONS = "fpnas.default.admissions";
  public static final String DLQ = "fpnas.default.dlq";

  private static final String APPLICATION_ID = "sampler-test";

  public final Codecs codecs = Codecs.of(new LocalSchemaStore());
  private final TopologyTestDriver driver;
  private final TestInputTopic<String, byte[]> searches;
  private final TestInputTopic<String, byte[]> distributions;
  private final TestInputTopic<String, byte[]> evaluations;
  private final TestInputTopic<String, byte[]> teams;
  private final TestInputTopic<String, byte[]> redispatch;
  private final TestOutputTopic<String, byte[]> samples;
  private final TestOutputTopic<String, byte[]> admissions;
  private final TestOutputTopic<String, byte[]> dlq;

  private final TestOutputTopic<String, byte[]> dispatchChangelog;
  private TestInputTopic<String, String> poolDemand;
  private TestOutputTopic<String, String> poolDemandOut;

  public SamplerHarness(Path stateDir) {
    this(stateDir, PoolPacing.off());
  }

  /** The sampler paced to an evaluator pool ({@link PoolPacing}). */
  public SamplerHarness(Path stateDir, PoolPacing pacing) {
    driver =
        new TopologyTestDriver(
            SamplerTopology.build(codecs, ControllerMetrics.none(), pacing),
            StreamsSettings.production(APPLICATION_ID, "unused:9092", stateDir));
    dispatchChangelog =
        driver.createOutputTopic(
            APPLICATION_ID + "-" + SamplerTopology.DISPATCH + "-changelog",
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
    searches = driver.createInputTopic(SEARCHES, keys, values);
    distributions = driver.createInputTopic(DISTRIBUTIONS, keys, values);
    evaluations = driver.createInputTopic(EVALUATIONS, keys, values);
    teams = driver.createInputTopic(TeamSettings.TOPIC, keys, values);
    redispatch = driver.createInputTopic(AggregatorTopology.REDISPATCH_TOPIC, keys, values);
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
    return WireConversions.update(spec.getSearchId(), spec.getTeam(), s, 0L).build();
  }

  public void submit(SearchSpec spec) {
    searches.pipeInput(spec.getSearchId(), codecs.specs().serialize(SEARCHES, spec));
  }

  public void publish(DistributionUpdate u) {
    distributions.pipeInput(u.getSearchId(), codecs.updates().serialize(DISTRIBUTIONS, u));
  }

  /** Raw bytes on the distributions topic, e.g. a record that is not Avro. */
  public void publishRaw(String key, byte[] value) {
    distributions.pipeInput(key, value);
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
    KeyValueStore<String, TeamDispatch> store = driver.getKeyValueStore(SamplerTopology.DISPATCH);
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
