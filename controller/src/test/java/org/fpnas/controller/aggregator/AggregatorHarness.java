package org.fpnas.controller.aggregator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.fpnas.client.history.SearchLog;
import org.fpnas.controller.Fixtures;
import org.fpnas.controller.StreamsSettings;
import org.fpnas.controller.internals.ControllerMetrics;
import org.fpnas.controller.internals.PoolPacing;
import org.fpnas.schemas.Codecs;
import org.fpnas.schemas.LocalSchemaStore;
import org.fpnas.schemas.PlainAvroSerde;
import org.fpnas.schemas.SchemaStore;
import org.fpnas.schemas.TeamSettings;
import org.fpnas.schemas.Topics;
import org.fpnas.schemas.avro.ArchitectureSample;
import org.fpnas.schemas.avro.DeadLetter;
import org.fpnas.schemas.avro.DispatchEvent;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.EvaluationResult;
import org.fpnas.schemas.avro.SearchSpec;
import org.fpnas.schemas.avro.SearchTally;

/**
 * The aggregator topology in a {@link TopologyTestDriver} under the production Streams settings,
 * with the test acting as the evaluators. It records every input and output, so a test can replay
 * exactly what happened.
 */
public final class AggregatorHarness implements AutoCloseable {
  public static final String SEARCHES = "fpnas.default.searches";
  public static final String EVALUATIONS = "fpnas.default.evaluations";
  public static final String DISTRIBUTIONS = "fpnas.default.distributions";

  public final Codecs codecs;
  private final TopologyTestDriver driver;
  private final TestInputTopic<String, byte[]> searches;
  private final TestInputTopic<String, byte[]> evaluations;
  private final TestOutputTopic<String, byte[]> distributions;
  private final TestOutputTopic<String, byte[]> dlq;
  private final TestOutputTopic<String, byte[]> samples;
  private final TestOutputTopic<String, byte[]> drawn;
  private final TestOutputTopic<String, byte[]> toDispatcher;
  private final TestInputTopic<String, String> teams;
  private final TestOutputTopic<String, byte[]> evaluationsOut;

  /** Every result sent, in order, as the evaluations topic would hold them. */
  public final List<EvaluationResult> sent = new ArrayList<>();

  /** Every distribution published, in order. */
  public final List<DistributionUpdate> published = new ArrayList<>();

  public AggregatorHarness(Path stateDir) {
    this(stateDir, Deadlines.DEFAULT);
  }

  public AggregatorHarness(Path stateDir, Deadlines deadlines) {
    this(stateDir, deadlines, PartitionCounts.SINGLE);
  }

  /**
   * With the partition counts that the placement check sees (the driver itself has one partition
   * per topic).
   */
  public AggregatorHarness(Path stateDir, Deadlines deadlines, PartitionCounts partitions) {
    this(stateDir, deadlines, partitions, PoolPacing.off());
  }

  /** Paced or not (where the samples go). */
  public AggregatorHarness(
      Path stateDir, Deadlines deadlines, PartitionCounts partitions, PoolPacing pacing) {
    this(stateDir, deadlines, partitions, pacing, new LocalSchemaStore());
  }

  /** With the schema store that the test and the topology share. */
  public AggregatorHarness(
      Path stateDir,
      Deadlines deadlines,
      PartitionCounts partitions,
      PoolPacing pacing,
      SchemaStore schemas) {
    codecs = Codecs.of(schemas);
    driver =
        new TopologyTestDriver(
            AggregatorTopology.build(
                codecs, deadlines, partitions, ControllerMetrics.none(), pacing),
            StreamsSettings.production("aggregator-test", "unused:9092", stateDir),
            java.time.Instant.EPOCH);
    teams =
        driver.createInputTopic(TeamSettings.TOPIC, new StringSerializer(), new StringSerializer());
    drawn =
        driver.createOutputTopic(
            "fpnas.default.samples", new StringDeserializer(), new ByteArrayDeserializer());
    toDispatcher =
        driver.createOutputTopic(
            Topics.DISPATCH_SAMPLES_TOPIC, new StringDeserializer(), new ByteArrayDeserializer());
    searches = driver.createInputTopic(SEARCHES, new StringSerializer(), new ByteArraySerializer());
    evaluations =
        driver.createInputTopic(EVALUATIONS, new StringSerializer(), new ByteArraySerializer());
    distributions =
        driver.createOutputTopic(
            DISTRIBUTIONS, new StringDeserializer(), new ByteArrayDeserializer());
    dlq =
        driver.createOutputTopic(
            "fpnas.default.dlq", new StringDeserializer(), new ByteArrayDeserializer());
    evaluationsOut =
        driver.createOutputTopic(
            EVALUATIONS, new StringDeserializer(), new ByteArrayDeserializer());
    samples =
        driver.createOutputTopic(
            Topics.REDISPATCH_TOPIC, new StringDeserializer(), new ByteArrayDeserializer());
  }

  /** The samples published on the team's samples topic since the last call, in order. */
  public List<TestRecord<String, byte[]>> sampleRecords() {
    return drawn.readRecordsToList();
  }

  /** The samples published on the team's samples topic since the last call, decoded. */
  public List<ArchitectureSample> samples() {
    List<ArchitectureSample> out = new ArrayList<>();
    sampleRecords()
        .forEach(r -> out.add(codecs.samples().deserialize("fpnas.default.samples", r.value())));
    return out;
  }

  /** What the dispatcher got since the last call (samples and search ends), keyed by team. */
  public List<TestRecord<String, DispatchEvent>> dispatched() {
    PlainAvroSerde<DispatchEvent> events = new PlainAvroSerde<>(DispatchEvent.class);
    return toDispatcher.readRecordsToList().stream()
        .map(r -> new TestRecord<>(r.key(), events.deserialize(null, r.value())))
        .toList();
  }

  /** The team's limits, as {@code fpnas team create} writes them (0: none). */
  public void limits(String team, int maxInflight, int maxSearches) {
    teams.pipeInput(
        team,
        new TeamSettings(team, 1, maxInflight, maxSearches, 0, 0, TeamSettings.principalOf(team))
            .toJson());
  }

  /** Samples dispatched again since the last call. */
  public List<ArchitectureSample> redispatched() {
    List<ArchitectureSample> out = new ArrayList<>();
    samples
        .readRecordsToList()
        .forEach(r -> out.add(codecs.samples().deserialize("fpnas.default.samples", r.value())));
    return out;
  }

  public void advance(java.time.Duration d) {
    driver.advanceWallClockTime(d);
  }

  public void submit(SearchSpec spec) {
    searches.pipeInput(spec.getSearchId(), codecs.specs().serialize(SEARCHES, spec));
  }

  /** Writes a spec to the given team's searches topic, whatever team the spec names. */
  public void submitTo(String team, SearchSpec spec) {
    String topic = Topics.forTeam(team).searches();
    driver
        .createInputTopic(topic, new StringSerializer(), new ByteArraySerializer())
        .pipeInput(spec.getSearchId(), codecs.specs().serialize(topic, spec));
  }

  /** Writes a result to the given team's evaluations topic, whatever search it names. */
  public void sendTo(String team, EvaluationResult r) {
    String topic = Topics.forTeam(team).evaluations();
    driver
        .createInputTopic(topic, new StringSerializer(), new ByteArraySerializer())
        .pipeInput(r.getSearchId(), codecs.results().serialize(topic, r));
  }

  /** The dead letters on the given team's dead-letter topic. */
  public List<DeadLetter> deadLetters(String team) {
    String topic = Topics.forTeam(team).dlq();
    List<DeadLetter> out = new ArrayList<>();
    driver
        .createOutputTopic(topic, new StringDeserializer(), new ByteArrayDeserializer())
        .readRecordsToList()
        .forEach(r -> out.add(codecs.deadLetters().deserialize(topic, r.value())));
    return out;
  }

  public void send(EvaluationResult r) {
    sent.add(r);
    evaluations.pipeInput(r.getSearchId(), codecs.results().serialize(EVALUATIONS, r));
  }

  public void sendRaw(String key, byte[] value) {
    evaluations.pipeInput(key, value);
  }

  public void sendRaw(TestRecord<String, byte[]> record) {
    evaluations.pipeInput(record);
  }

  /** The records that the aggregator wrote back to the evaluations topic since the last call. */
  public List<TestRecord<String, byte[]>> forwarded() {
    return evaluationsOut.readRecordsToList();
  }

  /** The distributions published since the last call. */
  public List<DistributionUpdate> updates() {
    List<DistributionUpdate> out = new ArrayList<>();
    distributions
        .readRecordsToList()
        .forEach(r -> out.add(codecs.updates().deserialize(DISTRIBUTIONS, r.value())));
    published.addAll(out);
    return out;
  }

  /** The dead letters sent since the last call. */
  public List<DeadLetter> deadLetters() {
    List<DeadLetter> out = new ArrayList<>();
    dlq.readRecordsToList()
        .forEach(r -> out.add(codecs.deadLetters().deserialize("fpnas.default.dlq", r.value())));
    return out;
  }

  /** A search's tally: its iteration and counters, as the aggregator keeps them. */
  public SearchTally tally(String searchId) {
    return tally("default", searchId);
  }

  /** The tally of the given team's search. */
  public SearchTally tally(String team, String searchId) {
    return stores().tally(team, searchId);
  }

  /** The spec and the current distribution the aggregator holds for a search; null when none. */
  public Object[] held(String searchId) {
    SearchStores stores = stores();
    return new Object[] {stores.spec("default", searchId), stores.current("default", searchId)};
  }

  /** The results of a search's open iteration that the aggregator holds. */
  public List<EvaluationResult> pending(String searchId) {
    return stores().results("default", searchId);
  }

  private SearchStores stores() {
    return new SearchStores(name -> driver.getKeyValueStore(name));
  }

  /**
   * Submits the search and evaluates every iteration honestly, in a shuffled order, until it is
   * done.
   */
  public List<DistributionUpdate> runToEnd(SearchSpec spec, Random order) {
    submit(spec);
    List<DistributionUpdate> mine = new ArrayList<>(updates());
    while (!mine.get(mine.size() - 1).getDone()) {
      List<EvaluationResult> results =
          new ArrayList<>(Fixtures.results(spec, mine.get(mine.size() - 1)));
      Collections.shuffle(results, order);
      results.forEach(this::send);
      List<DistributionUpdate> next = updates();
      if (next.size() != 1) {
        throw new AssertionError("one update per iteration expected, got " + next);
      }
      mine.add(next.get(0));
    }
    return mine;
  }

  /** The search as its topics would record it. */
  public SearchLog log(SearchSpec spec) {
    return new SearchLog(
        spec,
        published.stream().filter(u -> u.getSearchId().equals(spec.getSearchId())).toList(),
        sent.stream().filter(r -> r.getSearchId().equals(spec.getSearchId())).toList());
  }

  @Override
  public void close() {
    driver.close();
  }
}
