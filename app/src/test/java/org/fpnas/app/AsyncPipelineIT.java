package org.fpnas.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fpnas.client.SearchClient;
import org.fpnas.client.SearchRequest;
import org.fpnas.client.history.Replay;
import org.fpnas.client.history.SearchHistory;
import org.fpnas.client.history.SearchLog;
import org.fpnas.controller.ControllerService;
import org.fpnas.evaluator.EvaluatorService;
import org.fpnas.schemas.SchemaRegistryClient;
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
 * The asynchronous schedule on a real broker: an evaluator process killed mid-evaluation and
 * another added while the search runs lose no result and count none twice, and the search's history
 * replays bit for bit.
 */
@RealKafka
class AsyncPipelineIT {
  private static final Logger LOG = LoggerFactory.getLogger(AsyncPipelineIT.class);
  private static final Duration TIMEOUT = Duration.ofMinutes(4);

  private final KafkaInfra infra;
  private final SchemaRegistryClient registry;

  @TempDir Path dir;

  AsyncPipelineIT(KafkaInfra infra) {
    this.infra = infra;
    this.registry = new SchemaRegistryClient(infra.schemaRegistryUrl());
  }

  @Test
  void evaluatorsKilledAndAddedMidSearchLoseNothingAndTheHistoryReplaysBitForBit() {
    String team = "async-" + Long.toString(System.nanoTime() % 100_000);
    // A share pool of this team's own: its members share the team's partitions whatever other
    // tests left on the broker (the classic group balances partitions over every team's topics).
    String pool = "fpnas-evaluators-" + team;
    try (SearchClient client = new SearchClient(infra.bootstrapServers(), registry);
        ControllerService controller =
            new ControllerService(infra.bootstrapServers(), registry)
                .stateDir(dir.resolve("streams"))
                .start();
        EvaluatorService resident =
            new EvaluatorService(infra.bootstrapServers(), registry)
                .workers(2)
                .idPrefix("resident")
                .shareGroup(true)
                .shareGroupId(pool)
                .teams(Set.of(team))
                .start();
        FpnasProcess doomed = evaluator("doomed", pool, team)) {
      doomed.awaitOutput("evaluator running", Duration.ofSeconds(60));
      client.ensureTopics(team);
      // The kill must hit a member that takes samples: all three in the pool before the search.
      EvaluatorGroup.awaitShareMembers(infra.bootstrapServers(), pool, 3, Duration.ofSeconds(60));
      SearchSpec spec =
          client.submit(
              new SearchRequest("small-space.yaml", TextFiles.example("small-space.yaml"))
                  .landscape(TextFiles.example("small-landscape.yaml"))
                  .team(team)
                  .searchId("async-" + System.nanoTime())
                  .setAll(Map.of("schedule", "asynchronous", "maxIterations", "40", "seed", "11"))
                  .evaluatorSetting("simulatedMs", "120"));
      SearchProbe probe =
          new SearchProbe(infra.bootstrapServers(), registry, team, spec.getSearchId(), TIMEOUT);
      probe.awaitIteration(4, TIMEOUT);
      LOG.info("SIGKILL evaluator pid {}", doomed.pid());
      doomed.kill();
      try (FpnasProcess added = evaluator("added", pool, team)) {
        added.awaitOutput("evaluator running", Duration.ofSeconds(60));
        // The dead member's session expires and the added one joins.
        EvaluatorGroup.awaitShareMembers(infra.bootstrapServers(), pool, 3, Duration.ofSeconds(60));
        List<DistributionUpdate> published = probe.awaitDone();
        assertEquals(40, published.get(published.size() - 1).getIteration());
        SearchLog log =
            SearchHistory.read(infra.bootstrapServers(), registry, team, true, Map.of())
                .search(spec.getSearchId())
                .orElseThrow();
        assertNothingLostNorCountedTwice(published, log);
        Replay.Report replay = Replay.verify(log);
        assertTrue(replay.identical(), String.valueOf(replay.firstMismatch()));
        assertEquals(40, replay.iterationsChecked());
        Set<String> evaluators = new HashSet<>();
        log.results().forEach(r -> evaluators.add(r.getEvaluatorId()));
        LOG.info("asynchronous search evaluated by {}", evaluators);
        assertTrue(
            evaluators.stream().anyMatch(e -> e.startsWith("added")),
            "the evaluator added mid-search took samples: " + evaluators);
      }
    }
  }

  /**
   * Every update used exactly the batch its predecessor asked for (the benchmark evaluator fails no
   * sample), each result in at most one update, and the results it names were evaluated.
   */
  private static void assertNothingLostNorCountedTwice(
      List<DistributionUpdate> published, SearchLog log) {
    Map<String, EvaluationResult> first = new HashMap<>();
    log.results().forEach(r -> first.putIfAbsent(r.getSampleId(), r));
    Set<String> used = new HashSet<>();
    for (int t = 1; t < published.size(); t++) {
      DistributionUpdate u = published.get(t);
      for (String id : u.getUsedSampleIds()) {
        assertTrue(used.add(id), id + " counted twice");
        EvaluationResult r = first.get(id);
        assertTrue(r != null && r.getStatus() == ResultStatus.OK, id + " has an OK result");
        assertTrue(r.getIteration() < u.getIteration(), id + " drawn before the update");
      }
      assertEquals(
          published.get(t - 1).getSampleCount(),
          u.getUsedSampleIds().size(),
          "update " + u.getIteration() + " took its batch");
    }
  }

  private FpnasProcess evaluator(String id, String pool, String team) {
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
        "--share-group-id",
        pool,
        "--teams",
        team);
  }
}
