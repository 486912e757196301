package org.fpnas.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.fpnas.client.SearchClient;
import org.fpnas.client.SearchRequest;
import org.fpnas.client.history.SearchHistory;
import org.fpnas.client.history.SearchLog;
import org.fpnas.cluster.TopicAdmin;
import org.fpnas.cluster.TopicReader;
import org.fpnas.controller.ControllerService;
import org.fpnas.evaluator.EvaluatorService;
import org.fpnas.schemas.AvroSerde;
import org.fpnas.schemas.SchemaRegistryClient;
import org.fpnas.schemas.TeamSettings;
import org.fpnas.schemas.Topics;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.EvaluationResult;
import org.fpnas.schemas.avro.SearchSpec;
import org.fpnas.testkit.KafkaInfra;
import org.fpnas.testkit.RealKafka;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A team's limits on samples in flight and on running searches, enforced by the controller on a
 * real broker.
 */
@RealKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TeamLimitsIT {
  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private final KafkaInfra infra;
  private final SchemaRegistryClient registry;
  private final String suffix = Long.toString(System.nanoTime() % 1_000_000_000L, 36);
  private ControllerService controller;
  private EvaluatorService evaluators;
  private SearchClient client;

  @TempDir static Path dir;

  TeamLimitsIT(KafkaInfra infra) {
    this.infra = infra;
    this.registry = new SchemaRegistryClient(infra.schemaRegistryUrl());
  }

  private final String inflightTeam = "inflight-" + suffix;
  private final String searchesTeam = "searches-" + suffix;

  @BeforeAll
  void startPipeline() throws Exception {
    client = new SearchClient(infra.bootstrapServers(), registry);
    // Recorded before the controller starts, so that it loads them before its first sample.
    setLimits(inflightTeam, 3, 0);
    setLimits(searchesTeam, 0, 1);
    controller =
        new ControllerService(infra.bootstrapServers(), registry)
            .stateDir(dir.resolve("streams"))
            .start();
    evaluators =
        new EvaluatorService(infra.bootstrapServers(), registry)
            .workers(3)
            .idPrefix("limits-" + suffix)
            .start();
  }

  @AfterAll
  void stopPipeline() {
    for (AutoCloseable c : new AutoCloseable[] {evaluators, controller, client}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // best effort
      }
    }
  }

  @Test
  void aTeamAtItsInflightLimitNeverHasMoreSamplesInFlightOverAWholeRun() throws Exception {
    String team = inflightTeam;
    SearchSpec spec =
        client.submit(request(team, Map.of("fixedK", "8", "maxIterations", "5", "seed", "5")));
    List<DistributionUpdate> updates =
        new SearchProbe(infra.bootstrapServers(), registry, team, spec.getSearchId(), TIMEOUT)
            .awaitDone();
    assertTrue(updates.get(updates.size() - 1).getDone(), "the search completed");
    // The limit changes when samples go out, never which: the trajectory is the in-process one.
    Trajectories.assertIdenticalToReference(spec, updates);

    // In flight: from the sample's publication (its record time) to its result's (the evaluator's
    // send time).
    Topics topics = Topics.forTeam(team);
    Map<String, Long> published = new HashMap<>();
    for (ConsumerRecord<String, byte[]> r : readAll(topics.samples())) {
      published.merge(r.key(), r.timestamp(), Math::min);
    }
    Map<String, Long> answered = new HashMap<>();
    AvroSerde<EvaluationResult> results = new AvroSerde<>(registry, EvaluationResult.class);
    for (ConsumerRecord<String, byte[]> r : readAll(topics.evaluations())) {
      answered.merge(
          results.deserialize(r.topic(), r.value()).getSampleId(), r.timestamp(), Math::min);
    }
    assertEquals(8 * 5, published.size(), "every sample published once");
    assertEquals(published.keySet(), answered.keySet(), "every sample answered");
    // +1 at publication, -1 at the result; at the same millisecond the result counts first, as the
    // dispatcher frees a slot before it publishes the next sample.
    TreeMap<Long, Integer> changes = new TreeMap<>();
    published.values().forEach(t -> changes.merge(t * 2 + 1, 1, Integer::sum));
    answered.values().forEach(t -> changes.merge(t * 2, -1, Integer::sum));
    int inflight = 0;
    int max = 0;
    for (int change : changes.values()) {
      inflight += change;
      max = Math.max(max, inflight);
    }
    assertEquals(0, inflight);
    assertTrue(max <= 3, "at most 3 samples in flight, saw " + max);
    assertEquals(
        3, max, "the limit binds (each iteration has 8 samples and there are 3 evaluators)");
  }

  @Test
  void aSearchOverTheTeamsSearchLimitWaitsSaysWhyAndStartsWhenTheOtherEnds() throws Exception {
    String team = searchesTeam;
    // Submitted together: which one the controller sees first (and runs) is up to the partitions.
    List<SearchSpec> specs =
        List.of(
            client.submit(request(team, Map.of("fixedK", "4", "maxIterations", "10", "seed", "1"))),
            client.submit(
                request(team, Map.of("fixedK", "4", "maxIterations", "10", "seed", "2"))));
    Map<String, SearchProbe> probes = new HashMap<>();
    specs.forEach(
        s ->
            probes.put(
                s.getSearchId(),
                new SearchProbe(
                    infra.bootstrapServers(), registry, team, s.getSearchId(), TIMEOUT)));

    String status =
        awaitStatus(
            team,
            " waits for a search slot: team "
                + team
                + " runs 1 of at most 1 searches; next to start");
    SearchSpec waiting =
        specs.stream()
            .filter(s -> status.contains(s.getSearchId() + " waits"))
            .findFirst()
            .orElseThrow();
    SearchSpec running = specs.get(0) == waiting ? specs.get(1) : specs.get(0);
    assertTrue(status.matches("(?s).*" + waiting.getSearchId() + "\\s+waiting\\s.*"), status);
    assertTrue(status.matches("(?s).*" + running.getSearchId() + "\\s+running\\s.*"), status);

    List<DistributionUpdate> runningUpdates = probes.get(running.getSearchId()).awaitDone();
    List<DistributionUpdate> waitingUpdates = probes.get(waiting.getSearchId()).awaitDone();
    Trajectories.assertIdenticalToReference(running, runningUpdates);
    Trajectories.assertIdenticalToReference(waiting, waitingUpdates);
    SearchLog log =
        SearchHistory.read(infra.bootstrapServers(), registry, team, false, Map.of())
            .search(waiting.getSearchId())
            .orElseThrow();
    assertEquals("done", log.state());
    assertNotNull(log.admission());
    // None of the waiting search's samples went out before the other search's last distribution.
    long otherEnded = runningUpdates.get(runningUpdates.size() - 1).getCreatedAtMs();
    int samples = 0;
    for (ConsumerRecord<String, byte[]> r : readAll(Topics.forTeam(team).samples())) {
      if (r.key().startsWith(waiting.getSearchId() + "/")) {
        samples++;
        assertTrue(
            r.timestamp() >= otherEnded,
            r.key() + " published at " + r.timestamp() + ", other ended at " + otherEnded);
      }
    }
    assertEquals(40, samples);
  }

  /** Records the team's limits as {@code fpnas team create} does. */
  private void setLimits(String team, int maxInflight, int maxSearches) throws Exception {
    client.ensureTopics(team);
    Properties a = new Properties();
    a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
    try (Admin admin = Admin.create(a)) {
      TopicAdmin.ensureTopics(admin, List.of(TeamSettings.topicSpec()), TIMEOUT);
    }
    TeamSettings settings =
        new TeamSettings(team, 1, maxInflight, maxSearches, 0, 0, TeamSettings.principalOf(team));
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      producer
          .send(new ProducerRecord<>(TeamSettings.TOPIC, team, settings.toJson()))
          .get(30, TimeUnit.SECONDS);
    }
  }

  private String awaitStatus(String team, String expected) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      StringWriter out = new StringWriter();
      var cl = Main.commandLine();
      cl.setOut(new PrintWriter(out, true));
      cl.execute(
          "status",
          "--team",
          team,
          "--bootstrap-servers",
          infra.bootstrapServers(),
          "--schema-registry",
          infra.schemaRegistryUrl());
      last = out.toString();
      if (last.contains(expected)) {
        return last;
      }
    }
    throw new AssertionError("fpnas status never said '" + expected + "'; last:\n" + last);
  }

  private List<ConsumerRecord<String, byte[]>> readAll(String topic) {
    try (TopicReader reader = new TopicReader(infra.bootstrapServers(), Map.of())) {
      return reader.snapshot(List.of(topic), TIMEOUT);
    }
  }

  private static SearchRequest request(String team, Map<String, String> settings) {
    Map<String, String> all = new HashMap<>(Map.of("learningRate", "0.1", "kMin", "2"));
    all.putAll(settings);
    return new SearchRequest("small-space.yaml", TextFiles.example("small-space.yaml"))
        .landscape(TextFiles.example("small-landscape.yaml"))
        .team(team)
        .setAll(all)
        .evaluatorSetting("simulatedMs", "60");
  }
}
