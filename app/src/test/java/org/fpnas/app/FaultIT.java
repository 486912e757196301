package org.fpnas.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.fpnas.client.SearchClient;
import org.fpnas.client.SearchRequest;
import org.fpnas.client.history.SearchHistory;
import org.fpnas.client.history.SearchLog;
import org.fpnas.controller.ControllerService;
import org.fpnas.embedded.EmbeddedInfra;
import org.fpnas.evaluator.EvaluatorService;
import org.fpnas.schemas.SchemaRegistryClient;
import org.fpnas.schemas.Topics;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.EvaluationResult;
import org.fpnas.schemas.avro.ResultStatus;
import org.fpnas.schemas.avro.SearchSpec;
import org.fpnas.testkit.KafkaInfra;
import org.fpnas.testkit.RealKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Faults on a real broker with real child processes, killed by process id: the search goes on and
 * ends with exactly the distributions it would have had without the fault.
 */
@RealKafka
class FaultIT {
  private static final Logger LOG = LoggerFactory.getLogger(FaultIT.class);
  private static final Duration TIMEOUT = Duration.ofMinutes(4);

  private final KafkaInfra infra;
  private final SchemaRegistryClient registry;

  @TempDir Path dir;

  FaultIT(KafkaInfra infra) {
    this.infra = infra;
    this.registry = new SchemaRegistryClient(infra.schemaRegistryUrl());
  }

  @Test
  void anEvaluatorKilledMidEvaluationLosesNothingAndCountsOnce() {
    String team = team("evalkill");
    try (SearchClient client = new SearchClient(infra.bootstrapServers(), registry);
        ControllerService controller = controller(infra.bootstrapServers(), registry);
        FpnasProcess e1 = evaluator(infra, "e1");
        FpnasProcess e2 = evaluator(infra, "e2")) {
      e1.awaitOutput("evaluator running", Duration.ofSeconds(60));
      e2.awaitOutput("evaluator running", Duration.ofSeconds(60));
      // The kill must hit a member that holds partitions: both in the group before the search.
      client.ensureTopics(team);
      EvaluatorGroup.awaitStable(
          infra.bootstrapServers(),
          2,
          List.of(Topics.forTeam(team).samples()),
          Topics.DEFAULT_SAMPLE_PARTITIONS,
          Duration.ofSeconds(60));
      SearchSpec spec =
          client.submit(
              request(
                  team,
                  "k",
                  Map.of("maxIterations", "8", "k0", "6", "seed", "5", "kMin", "8"),
                  150));
      SearchProbe probe =
          new SearchProbe(infra.bootstrapServers(), registry, team, spec.getSearchId(), TIMEOUT);
      probe.awaitIteration(3, TIMEOUT);
      LOG.info("SIGKILL evaluator pid {}", e1.pid());
      e1.kill();
      List<DistributionUpdate> published = probe.awaitDone();
      Trajectories.assertIdenticalToReference(spec, published);
      SearchLog log = read(team, spec);
      Map<String, Integer> perSample = resultsPerSample(log);
      long expected =
          published.stream()
              .limit(published.size() - 1L)
              .mapToLong(DistributionUpdate::getSampleCount)
              .sum();
      assertEquals(expected, perSample.size(), "every sample has a result");
      LOG.info(
          "evaluator kill: {} samples, {} with two results (counted once)",
          perSample.size(),
          perSample.values().stream().filter(n -> n > 1).count());
    }
  }

  /**
   * In the consumer group: a sample that kills its evaluator's process is read again by the
   * partition's next owner, which finds the first delivery in the partition's commit and, at a
   * delivery limit of 2, settles the sample FAILED instead of evaluating it; the search goes on.
   */
  @Test
  void aSampleThatKillsItsEvaluatorEndsFailedAfterTheDeliveryLimit() {
    String team = team("poison");
    try (SearchClient client = new SearchClient(infra.bootstrapServers(), registry);
        ControllerService controller = controller(infra.bootstrapServers(), registry)) {
      client.ensureTopics(team);
      SearchSpec spec;
      try (FpnasProcess e1 =
          evaluator(
              infra, "p1", "--delivery-limit", "2", "--setting", PoisonEvaluator.ARMED + "=true")) {
        e1.awaitOutput("evaluator running", Duration.ofSeconds(60));
        EvaluatorGroup.awaitStable(
            infra.bootstrapServers(),
            1,
            List.of(Topics.forTeam(team).samples()),
            Topics.DEFAULT_SAMPLE_PARTITIONS,
            Duration.ofSeconds(60));
        spec =
            client.submit(
                request(team, "p", Map.of("maxIterations", "2", "fixedK", "2", "seed", "4"), 0)
                    .evaluator(PoisonEvaluator.KIND));
        assertTrue(e1.waitForExit(TIMEOUT), "the poison sample kills p1:\n" + e1.tail());
      }
      // Not armed: should it evaluate the poison sample, its result says so instead of dying.
      try (EvaluatorService e2 =
          new EvaluatorService(infra.bootstrapServers(), registry)
              .deliveryLimit(2)
              .idPrefix("p2")
              .start()) {
        List<DistributionUpdate> published =
            new SearchProbe(infra.bootstrapServers(), registry, team, spec.getSearchId(), TIMEOUT)
                .awaitDone();
        assertTrue(published.get(published.size() - 1).getDone(), "the search went on and ended");
      }
      String poison = spec.getSearchId() + "/0/0";
      List<EvaluationResult> results =
          read(team, spec).results().stream().filter(r -> r.getSampleId().equals(poison)).toList();
      assertEquals(1, results.size(), "one result for the poison sample: " + results);
      assertEquals(ResultStatus.FAILED, results.get(0).getStatus());
      assertTrue(
          results
              .get(0)
              .getError()
              .startsWith("delivery limit reached: evaluators took this sample 1 time(s)"),
          results.get(0).getError());
    }
  }

  @Test
  void theControllerKilledAndRestartedEndsBitIdenticalAndSamplesNoIterationTwice() {
    String team = team("ctlkill");
    Path state = dir.resolve("controller-state");
    try (SearchClient client = new SearchClient(infra.bootstrapServers(), registry);
        EvaluatorService evaluators =
            new EvaluatorService(infra.bootstrapServers(), registry).workers(2).start()) {
      client.ensureTopics(team);
      FpnasProcess first = controllerProcess(infra, state, "c1");
      first.awaitOutput("controller running", Duration.ofSeconds(90));
      SearchSpec spec =
          client.submit(
              request(
                  team,
                  "c",
                  Map.of("maxIterations", "10", "k0", "6", "seed", "6", "kMin", "8"),
                  50));
      SearchProbe probe =
          new SearchProbe(infra.bootstrapServers(), registry, team, spec.getSearchId(), TIMEOUT);
      probe.awaitIteration(3, TIMEOUT);
      LOG.info("SIGKILL controller pid {}", first.pid());
      first.kill();
      try (FpnasProcess second = controllerProcess(infra, state, "c2")) {
        second.awaitOutput("controller running", Duration.ofSeconds(90));
        List<DistributionUpdate> published = probe.awaitDone();
        Trajectories.assertIdenticalToReference(spec, published);
      }
    }
  }

  @Test
  void theBrokerKilledAndRestartedEndsBitIdentical() {
    try (EmbeddedInfra own =
        new EmbeddedInfra(dir.resolve("infra")).kafkaPort(0).registryPort(0).start()) {
      SchemaRegistryClient ownRegistry = new SchemaRegistryClient(own.schemaRegistryUrl());
      String team = team("brokerkill");
      try (SearchClient client = new SearchClient(own.bootstrapServers(), ownRegistry);
          ControllerService controller = controller(own.bootstrapServers(), ownRegistry);
          EvaluatorService evaluators =
              new EvaluatorService(own.bootstrapServers(), ownRegistry).workers(2).start()) {
        SearchSpec spec =
            client.submit(
                request(
                    team,
                    "b",
                    Map.of("maxIterations", "10", "k0", "6", "seed", "7", "kMin", "8"),
                    50));
        SearchProbe probe =
            new SearchProbe(own.bootstrapServers(), ownRegistry, team, spec.getSearchId(), TIMEOUT);
        probe.awaitIteration(3, TIMEOUT);
        LOG.info("SIGKILL broker pid {}", own.broker().pid());
        own.broker().kill();
        sleep(2000);
        own.broker().start();
        LOG.info("broker restarted on {}", own.bootstrapServers());
        List<DistributionUpdate> published = probe.awaitDone();
        Trajectories.assertIdenticalToReference(spec, published);
      }
    }
  }

  @Test
  void evaluatorsJoinAndLeaveMidSearchWithoutLosingASample() {
    String team = team("elastic");
    List<FpnasProcess> pool = new ArrayList<>();
    try (SearchClient client = new SearchClient(infra.bootstrapServers(), registry);
        ControllerService controller = controller(infra.bootstrapServers(), registry)) {
      pool.add(evaluator(infra, "x0"));
      pool.get(0).awaitOutput("evaluator running", Duration.ofSeconds(60));
      SearchSpec spec =
          client.submit(
              request(team, "x", Map.of("maxIterations", "24", "fixedK", "16", "seed", "8"), 150));
      SearchProbe probe =
          new SearchProbe(infra.bootstrapServers(), registry, team, spec.getSearchId(), TIMEOUT);
      probe.awaitIteration(6, TIMEOUT);
      long joinedAt = System.currentTimeMillis();
      for (int i = 1; i <= 3; i++) {
        pool.add(evaluator(infra, "x" + i));
      }
      probe.awaitIteration(16, TIMEOUT);
      long leftAt = System.currentTimeMillis();
      for (int i = 3; i >= 1; i--) {
        pool.remove(i).stop();
      }
      List<DistributionUpdate> published = probe.awaitDone();
      Trajectories.assertIdenticalToReference(spec, published);
      SearchLog log = read(team, spec);
      assertEquals(24 * 16, resultsPerSample(log).size(), "no sample lost");
      LOG.info(
          "elasticity, 1 -> 4 -> 1 evaluators at 150 ms per sample (K = 16):{}",
          ElasticPhases.report(
              published, log.results(), new int[] {1, 4, 1}, new long[] {joinedAt, leftAt}, 150));
    } finally {
      pool.forEach(FpnasProcess::close);
    }
  }

  @Test
  void aFloodOfBadRecordsLeavesThePipelineRunningAndAValidSearchCorrect() {
    String team = team("flood");
    try (SearchClient client = new SearchClient(infra.bootstrapServers(), registry);
        ControllerService controller = controller(infra.bootstrapServers(), registry);
        EvaluatorService evaluators =
            new EvaluatorService(infra.bootstrapServers(), registry).workers(2).start()) {
      SearchSpec spec =
          client.submit(
              request(
                  team,
                  "f",
                  Map.of("maxIterations", "10", "k0", "6", "seed", "9", "kMin", "8"),
                  0));
      SearchProbe probe =
          new SearchProbe(infra.bootstrapServers(), registry, team, spec.getSearchId(), TIMEOUT);
      Topics topics = Topics.forTeam(team);
      Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
      p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
      try (KafkaProducer<String, byte[]> producer =
          new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
        for (int i = 0; i < 10_000; i++) {
          byte[] junk = ("junk " + i).getBytes();
          byte[] badMagic = {7, 0, 0, 0, 1, (byte) i};
          byte[] unknownId = {0, 0x7f, 0, 0, (byte) i, 1, 2};
          byte[][] kinds = {junk, badMagic, unknownId};
          byte[] v = kinds[i % 3];
          producer.send(new ProducerRecord<>(topics.evaluations(), spec.getSearchId(), v));
          producer.send(new ProducerRecord<>(topics.samples(), "bad-" + i, v));
          producer.send(new ProducerRecord<>(topics.distributions(), "bad-" + i, v));
          producer.send(new ProducerRecord<>(topics.searches(), "bad-" + i, v));
        }
      }
      List<DistributionUpdate> published = probe.awaitDone();
      Trajectories.assertIdenticalToReference(spec, published);
      assertTrue(controller.isRunning(), "the controller is still running");
      // Every bad record was read and set aside (no backlog is left for the next test).
      Lag.awaitZero(
          infra.bootstrapServers(),
          List.of(
              ControllerService.AGGREGATOR_ID,
              ControllerService.DISPATCHER_ID,
              EvaluatorService.GROUP),
          team,
          Duration.ofMinutes(3));
    }
  }

  private ControllerService controller(String bootstrap, SchemaRegistryClient schemas) {
    return new ControllerService(bootstrap, schemas)
        .stateDir(dir.resolve("streams-" + System.nanoTime()))
        .start();
  }

  private FpnasProcess evaluator(KafkaInfra on, String id, String... options) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "evaluator",
                "--bootstrap-servers",
                on.bootstrapServers(),
                "--schema-registry",
                on.schemaRegistryUrl(),
                "--id",
                id));
    args.addAll(List.of(options));
    return FpnasProcess.start(dir.resolve("logs/" + id + ".log"), args.toArray(String[]::new));
  }

  private FpnasProcess controllerProcess(KafkaInfra on, Path state, String name) {
    return FpnasProcess.start(
        dir.resolve("logs/" + name + ".log"),
        "controller",
        "--bootstrap-servers",
        on.bootstrapServers(),
        "--schema-registry",
        on.schemaRegistryUrl(),
        "--state-dir",
        state.toString());
  }

  private static SearchRequest request(
      String team, String id, Map<String, String> settings, long simulatedMs) {
    Map<String, String> all = new HashMap<>(Map.of("learningRate", "0.1"));
    all.putAll(settings);
    return new SearchRequest("small-space.yaml", TextFiles.example("small-space.yaml"))
        .landscape(TextFiles.example("small-landscape.yaml"))
        .team(team)
        .searchId(id + "-" + System.nanoTime())
        .setAll(all)
        .evaluatorSetting("simulatedMs", Long.toString(simulatedMs));
  }

  private SearchLog read(String team, SearchSpec spec) {
    return SearchHistory.read(infra.bootstrapServers(), registry, team, true, Map.of())
        .search(spec.getSearchId())
        .orElseThrow();
  }

  private static Map<String, Integer> resultsPerSample(SearchLog log) {
    Map<String, Integer> n = new HashMap<>();
    for (EvaluationResult r : log.results()) {
      n.merge(r.getSampleId(), 1, Integer::sum);
    }
    return n;
  }

  private static String team(String prefix) {
    return prefix + "-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
