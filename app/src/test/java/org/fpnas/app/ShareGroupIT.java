package org.fpnas.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.fpnas.client.SearchClient;
import org.fpnas.client.SearchRequest;
import org.fpnas.client.history.SearchHistory;
import org.fpnas.cluster.ShareGroups;
import org.fpnas.controller.ControllerService;
import org.fpnas.evaluator.EvaluatorService;
import org.fpnas.evaluator.worker.EvaluationLimit;
import org.fpnas.schemas.Codecs;
import org.fpnas.schemas.SchemaRegistryClient;
import org.fpnas.schemas.Topics;
import org.fpnas.schemas.avro.DeadLetter;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.EvaluationResult;
import org.fpnas.schemas.avro.ResultStatus;
import org.fpnas.schemas.avro.SearchSpec;
import org.fpnas.testkit.KafkaInfra;
import org.fpnas.testkit.RealKafka;
import org.fpnas.testkit.TestClients;
import org.fpnas.testkit.TestTopics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluators in a share group on the real broker: a long evaluation keeps its sample, a sample that
 * kills its evaluator's process ends FAILED, a SIGKILLed evaluator loses nothing. Each test runs a
 * share group of its own, with a 2 s lock, so that an expiring lock shows within the test.
 */
@RealKafka
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShareGroupIT {
  private static final Logger LOG = LoggerFactory.getLogger(ShareGroupIT.class);
  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  private static final String LOCK_MS = "2000";

  private final KafkaInfra infra;
  private final SchemaRegistryClient registry;

  @TempDir Path dir;

  private ControllerService controller;

  ShareGroupIT(KafkaInfra infra) {
    this.infra = infra;
    this.registry = new SchemaRegistryClient(infra.schemaRegistryUrl());
  }

  /** The teams of this class's tests, each served by a share group of its own. */
  private final List<String> teams = new ArrayList<>();

  private String own(String team) {
    teams.add(team);
    return team;
  }

  /**
   * Their samples go, so that the default share group of later tests on the shared broker does not
   * evaluate them again (5 s each, in the renewal test).
   */
  @AfterEach
  void deleteTheTeamsSamples() throws Exception {
    try (Admin admin = Admin.create(TestClients.adminProps(infra))) {
      admin
          .deleteTopics(teams.stream().map(t -> Topics.forTeam(t).samples()).toList())
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    teams.clear();
  }

  @Test
  void anEvaluationLongerThanTheLockIsNotHandedToASecondEvaluator() {
    String team = own(TestTopics.unique("renew"));
    String group = TestTopics.unique("renew-pool");
    try (SearchClient client = new SearchClient(infra.bootstrapServers(), registry)) {
      client.ensureTopics(team);
      try (EvaluatorService a = shareEvaluators(team, group, "a");
          EvaluatorService b = shareEvaluators(team, group, "b")) {
        // One sample per iteration, 2.5 locks long: without renewal the idle evaluator would take
        // it too.
        SearchSpec spec =
            client.submit(
                request(team, "r", Map.of("maxIterations", "2", "fixedK", "1", "seed", "3"))
                    .evaluatorSetting("simulatedMs", "5000"));
        List<DistributionUpdate> published =
            new SearchProbe(infra.bootstrapServers(), registry, team, spec.getSearchId(), TIMEOUT)
                .awaitDone();
        Trajectories.assertIdenticalToReference(spec, published);
        Map<String, Integer> perSample = resultsPerSample(team, spec);
        assertEquals(2, perSample.size(), "one sample in each of 2 iterations: " + perSample);
        perSample.forEach(
            (sample, n) -> assertEquals(1, n, sample + " was evaluated " + n + " times"));
        assertEquals(2, a.evaluated() + b.evaluated(), "the pool evaluated each sample once");
      }
    }
  }

  @Test
  void anEvaluationPastTheTimeLimitIsGivenUpFailedAndNotEvaluatedAgain() throws Exception {
    String team = own(TestTopics.unique("limit"));
    String group = TestTopics.unique("limit-pool");
    try (SearchClient client = new SearchClient(infra.bootstrapServers(), registry)) {
      client.ensureTopics(team);
      // A limit above the 2 s lock, so that the lock is renewed up to it and then no more.
      try (EvaluatorService a = shareEvaluators(team, group, "a", Duration.ofSeconds(3));
          EvaluatorService b = shareEvaluators(team, group, "b", Duration.ofSeconds(3))) {
        SearchSpec spec =
            client.submit(
                request(team, "t", Map.of("maxIterations", "2", "fixedK", "1", "seed", "6"))
                    .evaluatorSetting("simulatedMs", "8000"));
        // Both samples given up; then long enough for a lock left to expire and its sample to be
        // evaluated by the other evaluator, had it not been rejected.
        List<EvaluationResult> results = awaitResults(team, spec, 2);
        Thread.sleep(6_000);
        assertEquals(2, results(team, spec).size(), "none evaluated again: " + results);
        for (EvaluationResult r : results) {
          assertEquals(ResultStatus.FAILED, r.getStatus(), r.getError());
          assertTrue(
              r.getError().startsWith("evaluation time limit reached")
                  && r.getError().contains("limit of 3 s"),
              r.getError());
          assertTrue(r.getDurationMs() < 8000, "given up before it ended: " + r.getDurationMs());
        }
        assertEquals(2, a.evaluated() + b.evaluated());
      }
    }
  }

  @Test
  void aSampleThatKillsItsEvaluatorEndsFailedAfterTheDeliveryLimit() throws Exception {
    String team = own(TestTopics.unique("poison"));
    String group = TestTopics.unique("poison-pool");
    try (SearchClient client = new SearchClient(infra.bootstrapServers(), registry)) {
      client.ensureTopics(team);
      SearchSpec spec =
          client.submit(
              request(team, "p", Map.of("maxIterations", "2", "fixedK", "2", "seed", "4"))
                  .evaluator(PoisonEvaluator.KIND));
      // Delivery limit 2: the first delivery kills e1; the second, to e2 once e1's lock has
      // expired,
      // settles the sample FAILED without evaluating it.
      try (FpnasProcess e1 = shareEvaluatorProcess(team, group, "e1", "2")) {
        assertTrue(e1.waitForExit(TIMEOUT), "the poison sample kills e1:\n" + e1.tail());
      }
      try (FpnasProcess e2 = shareEvaluatorProcess(team, group, "e2", "2")) {
        List<DistributionUpdate> published =
            new SearchProbe(infra.bootstrapServers(), registry, team, spec.getSearchId(), TIMEOUT)
                .awaitDone();
        assertTrue(published.get(published.size() - 1).getDone(), "the search went on and ended");
        assertTrue(e2.isAlive(), "e2 did not evaluate the poison sample:\n" + e2.tail());
      }
      String poison = spec.getSearchId() + "/0/0";
      List<EvaluationResult> results =
          results(team, spec).stream().filter(r -> r.getSampleId().equals(poison)).toList();
      assertEquals(1, results.size(), "one result for the poison sample: " + results);
      assertEquals(ResultStatus.FAILED, results.get(0).getStatus());
      assertTrue(results.get(0).getError().contains("delivery limit"), results.get(0).getError());
      List<DeadLetter> letters = deadLetters(team, 1);
      assertEquals(
          poison,
          java.nio.charset.StandardCharsets.UTF_8
              .decode(letters.get(0).getKey().duplicate())
              .toString(),
          "the dead letter keeps the sample's key");
      assertTrue(letters.get(0).getError().contains("delivery limit"), letters.get(0).getError());
    }
  }

  @Test
  void anEvaluatorKilledMidEvaluationLosesNothingAndCountsOnce() {
    String team = own(TestTopics.unique("sgkill"));
    String group = TestTopics.unique("sgkill-pool");
    try (SearchClient client = new SearchClient(infra.bootstrapServers(), registry)) {
      client.ensureTopics(team);
      try (FpnasProcess e1 = shareEvaluatorProcess(team, group, "k1", "5");
          FpnasProcess e2 = shareEvaluatorProcess(team, group, "k2", "5")) {
        e1.awaitOutput("evaluator running", Duration.ofSeconds(60));
        e2.awaitOutput("evaluator running", Duration.ofSeconds(60));
        // The kill must hit a member that takes samples: both in the group before the search.
        EvaluatorGroup.awaitShareMembers(
            infra.bootstrapServers(), group, 2, Duration.ofSeconds(60));
        SearchSpec spec =
            client.submit(
                request(
                        team,
                        "k",
                        Map.of("maxIterations", "6", "k0", "8", "kMin", "8", "seed", "5"))
                    .evaluatorSetting("simulatedMs", "150"));
        SearchProbe probe =
            new SearchProbe(infra.bootstrapServers(), registry, team, spec.getSearchId(), TIMEOUT);
        probe.awaitIteration(2, TIMEOUT);
        LOG.info("SIGKILL share-group evaluator pid {}", e1.pid());
        e1.kill();
        long killedAt = System.nanoTime();
        probe.awaitIteration(3, TIMEOUT);
        LOG.info(
            "share-group evaluator kill: the iteration open at the kill closed {} ms later",
            (System.nanoTime() - killedAt) / 1_000_000);
        List<DistributionUpdate> published = probe.awaitDone();
        Trajectories.assertIdenticalToReference(spec, published);
        long expected =
            published.stream()
                .limit(published.size() - 1L)
                .mapToLong(DistributionUpdate::getSampleCount)
                .sum();
        Map<String, Integer> perSample = resultsPerSample(team, spec);
        assertEquals(expected, perSample.size(), "every sample has a result");
        LOG.info(
            "share-group evaluator kill: {} samples, {} with two results (counted once)",
            perSample.size(),
            perSample.values().stream().filter(n -> n > 1).count());
      }
    }
  }

  /**
   * One controller for the class: a new one per test waited up to a Streams session for the old
   * one's members to leave its groups.
   */
  @BeforeAll
  void startController() {
    try {
      controller =
          new ControllerService(infra.bootstrapServers(), registry)
              .stateDir(java.nio.file.Files.createTempDirectory("share-group-it-streams"))
              .start();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @AfterAll
  void stopController() {
    if (controller != null) {
      controller.close();
    }
  }

  /**
   * A pool of its own for the test's team: a new group would otherwise evaluate every team's
   * samples on the broker.
   */
  private EvaluatorService shareEvaluators(String team, String group, String id) {
    return shareEvaluators(team, group, id, EvaluationLimit.DEFAULT);
  }

  private EvaluatorService shareEvaluators(
      String team, String group, String id, Duration maxEvaluationTime) {
    return new EvaluatorService(infra.bootstrapServers(), registry)
        .maxEvaluationTime(maxEvaluationTime)
        .shareGroup(true)
        .shareGroupId(group)
        .teams(java.util.Set.of(team))
        .shareGroupConfig(ShareGroups.LOCK_DURATION_MS, LOCK_MS)
        .idPrefix(id)
        .start();
  }

  private FpnasProcess shareEvaluatorProcess(
      String team, String group, String id, String deliveryLimit) {
    return FpnasProcess.start(
        dir.resolve("logs/" + id + ".log"),
        "evaluator",
        "--bootstrap-servers",
        infra.bootstrapServers(),
        "--schema-registry",
        infra.schemaRegistryUrl(),
        "--id",
        id,
        "--share-group",
        "--teams",
        team,
        "--share-group-id",
        group,
        "--share-config",
        ShareGroups.LOCK_DURATION_MS + "=" + LOCK_MS,
        "--share-config",
        ShareGroups.DELIVERY_COUNT_LIMIT + "=" + deliveryLimit,
        "--setting",
        PoisonEvaluator.ARMED + "=true");
  }

  private static SearchRequest request(String team, String id, Map<String, String> settings) {
    Map<String, String> all = new HashMap<>(Map.of("learningRate", "0.1"));
    all.putAll(settings);
    return new SearchRequest("small-space.yaml", TextFiles.example("small-space.yaml"))
        .landscape(TextFiles.example("small-landscape.yaml"))
        .team(team)
        .searchId(id + "-" + System.nanoTime())
        .setAll(all);
  }

  /** Every result on the evaluations topic, duplicates included. */
  private List<EvaluationResult> results(String team, SearchSpec spec) {
    return SearchHistory.read(infra.bootstrapServers(), registry, team, true, Map.of())
        .search(spec.getSearchId())
        .orElseThrow()
        .results();
  }

  /** The search's results once there are this many. */
  private List<EvaluationResult> awaitResults(String team, SearchSpec spec, int count)
      throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      List<EvaluationResult> results = results(team, spec);
      if (results.size() >= count || System.nanoTime() > deadline) {
        return results;
      }
      Thread.sleep(500);
    }
  }

  private Map<String, Integer> resultsPerSample(String team, SearchSpec spec) {
    Map<String, Integer> n = new HashMap<>();
    for (EvaluationResult r : results(team, spec)) {
      n.merge(r.getSampleId(), 1, Integer::sum);
    }
    return n;
  }

  private List<DeadLetter> deadLetters(String team, int count) {
    Codecs codecs = Codecs.of(registry);
    String dlq = Topics.forTeam(team).dlq();
    Map<String, Object> props = TestClients.consumerProps(infra, TestTopics.unique("dlq-reader"));
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(dlq));
      List<DeadLetter> letters = new ArrayList<>();
      for (ConsumerRecord<String, byte[]> r :
          TestClients.consume(consumer, count, Duration.ofSeconds(30))) {
        letters.add(codecs.deadLetters().deserialize(dlq, r.value()));
      }
      assertFalse(letters.isEmpty());
      return letters;
    }
  }
}
