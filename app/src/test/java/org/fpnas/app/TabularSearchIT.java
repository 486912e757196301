package org.fpnas.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fpnas.client.ResultReport;
import org.fpnas.client.SearchClient;
import org.fpnas.client.SearchRequest;
import org.fpnas.client.history.SearchHistory;
import org.fpnas.client.history.SearchLog;
import org.fpnas.client.history.SearchWatcher;
import org.fpnas.controller.ControllerService;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.tabular.TabularBenchmark;
import org.fpnas.core.tabular.TabularBenchmarks;
import org.fpnas.evaluator.EvaluatorService;
import org.fpnas.schemas.SchemaRegistryClient;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.SearchSpec;
import org.fpnas.testkit.KafkaInfra;
import org.fpnas.testkit.RealKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A search with the tabular evaluator on NAS-Bench-201 through the real broker, and the refusals at
 * submit.
 */
@RealKafka
class TabularSearchIT {
  private static final String TEAM = "tabular-it";
  private static final String NB201 = "nasbench201-cifar10";

  private final KafkaInfra infra;
  private final SchemaRegistryClient registry;

  TabularSearchIT(KafkaInfra infra) {
    this.infra = infra;
    this.registry = new SchemaRegistryClient(infra.schemaRegistryUrl());
  }

  @Test
  void aTabularSearchReproducesTheInProcessSearchAndReportsHeldOutAccuracyAndRank(
      @TempDir Path state) {
    TabularBenchmark nb201 = TabularBenchmarks.get(NB201);
    try (SearchClient client = new SearchClient(infra.bootstrapServers(), registry)) {
      client.ensureTopics(TEAM);
      try (ControllerService controller =
              new ControllerService(infra.bootstrapServers(), registry).stateDir(state).start();
          EvaluatorService evaluators =
              new EvaluatorService(infra.bootstrapServers(), registry)
                  .workers(2)
                  .idPrefix("tabular-it")
                  .start()) {
        SearchSpec spec =
            client.submit(
                request("nb201-" + System.nanoTime(), nb201.space().toYaml(), NB201)
                    .setAll(Map.of("seed", "5", "maxIterations", "12", "learningRate", "0.1")));
        List<DistributionUpdate> published = new ArrayList<>();
        SearchWatcher.follow(
            infra.bootstrapServers(),
            registry,
            TEAM,
            spec.getSearchId(),
            Map.of(),
            published::add,
            Duration.ofMinutes(2));
        Trajectories.assertIdenticalToReference(spec, published);
        SearchLog log =
            SearchHistory.read(infra.bootstrapServers(), registry, TEAM, false, Map.of())
                .search(spec.getSearchId())
                .orElseThrow();
        ObjectNode result = ResultReport.of(log);
        int row = nb201.row(Architecture.parse(result.get("finalArchitectureString").asText()));
        assertEquals(nb201.heldOut(row), result.get("finalHeldOut").asDouble());
        assertEquals(nb201.rank(row), result.get("finalRank").asInt());
        assertEquals(nb201.cost(row), result.get("finalCost").asDouble());
        assertEquals(15_625, result.get("tabular").get("architectures").asInt());
        long queries =
            published.stream()
                .limit(published.size() - 1L)
                .mapToLong(DistributionUpdate::getSampleCount)
                .sum();
        assertEquals(
            queries,
            result.get("tabular").get("randomSearch").get("queries").asLong(),
            "random search gets as many queries as the search's 12 iterations evaluated");
        double random = result.get("tabular").get("randomSearch").get("meanHeldOut").asDouble();
        assertTrue(random > 85 && random < 94.37, "random search's mean test accuracy " + random);
      }
    }
  }

  @Test
  void submitRefusesASpaceThatIsNotTheBenchmarksAndABenchmarkFilePublishingNothing(
      @TempDir Path dir) throws Exception {
    Path benchmark = dir.resolve("benchmark.yaml");
    Files.writeString(
        benchmark,
        """
        name: broken
        space: space.yaml
        table: table.csv
        architecture: {column: arch, pattern: '(\\w+)'}
        signal: {column: acc, unit: percent, classes: 10, batch: 250}
        cost: {column: cost}
        heldOut: {column: test}
        """);
    String space = "name: one\nlayers:\n  - name: a\n    variables:\n      op: [x, y]\n";
    Files.writeString(dir.resolve("space.yaml"), space);
    Files.writeString(dir.resolve("table.csv"), "arch,acc,cost,test\nx,50,1,51\ny,60,2,sixty\n");
    try (SearchClient client = new SearchClient(infra.bootstrapServers(), registry)) {
      client.ensureTopics(TEAM);
      String wrongSpace = "wrong-space-" + System.nanoTime();
      IllegalArgumentException mismatch =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  client.submit(request(wrongSpace, TextFiles.example("small-space.yaml"), NB201)));
      assertTrue(
          mismatch.getMessage().contains("is not the space of benchmark " + NB201),
          mismatch.getMessage());
      // Not read (its table would fail to load): files are the evaluator operator's to configure.
      String aFile = "a-file-" + System.nanoTime();
      IllegalArgumentException file =
          assertThrows(
              IllegalArgumentException.class,
              () -> client.submit(request(aFile, space, benchmark.toString())));
      assertTrue(
          file.getMessage().startsWith("evaluator setting benchmark: unknown benchmark"),
          file.getMessage());
      assertTrue(
          file.getMessage().contains("the evaluator operator's to configure"), file.getMessage());
      SearchHistory history =
          SearchHistory.read(infra.bootstrapServers(), registry, TEAM, false, Map.of());
      assertTrue(
          history.search(wrongSpace).isEmpty() && history.search(aFile).isEmpty(),
          "nothing published");
    }
  }

  private static SearchRequest request(String id, String spaceText, String benchmark) {
    return new SearchRequest("space.yaml", spaceText)
        .team(TEAM)
        .searchId(id)
        .evaluator("tabular")
        .evaluatorSetting("benchmark", benchmark);
  }
}
