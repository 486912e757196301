package org.fpnas.example;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fpnas.client.SearchClient;
import org.fpnas.client.SearchRequest;
import org.fpnas.client.history.SearchHistory;
import org.fpnas.client.history.SearchLog;
import org.fpnas.client.history.SearchWatcher;
import org.fpnas.client.wire.WireConversions;
import org.fpnas.controller.ControllerService;
import org.fpnas.core.Hyperparameters;
import org.fpnas.core.InProcessSearch;
import org.fpnas.core.Scorer;
import org.fpnas.core.SearchResult;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.SearchSpace;
import org.fpnas.evaluator.EvaluatorService;
import org.fpnas.evaluator.api.EvaluationRequest;
import org.fpnas.evaluator.api.Measurement;
import org.fpnas.schemas.SchemaRegistryClient;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.EvaluationResult;
import org.fpnas.schemas.avro.ResultStatus;
import org.fpnas.schemas.avro.SearchSpec;
import org.fpnas.testkit.KafkaInfra;
import org.fpnas.testkit.RealKafka;
import org.junit.jupiter.api.Test;

/**
 * The example evaluator as a team would run it: its jar on the evaluator service's class path,
 * found by ServiceLoader, evaluating a whole search through a real broker and registry.
 */
@RealKafka
class ChoiceDistanceEvaluatorIT {
  private static final String TEAM = "example-it";

  @Test
  void theServiceFindsTheExampleKindAndTheSearchFindsItsBestArchitecture(KafkaInfra infra)
      throws IOException {
    SchemaRegistryClient registry = new SchemaRegistryClient(infra.schemaRegistryUrl());
    String id = "example-" + System.nanoTime();
    try (SearchClient client = new SearchClient(infra.bootstrapServers(), registry)) {
      client.ensureTopics(TEAM); // before the services start, as an operator creates a team first
      runSearch(infra, registry, client, id);
    }
  }

  private static void runSearch(
      KafkaInfra infra, SchemaRegistryClient registry, SearchClient client, String id)
      throws IOException {
    try (ControllerService controller =
            new ControllerService(infra.bootstrapServers(), registry)
                .stateDir(Files.createTempDirectory("example-it"))
                .start();
        EvaluatorService evaluators =
            new EvaluatorService(infra.bootstrapServers(), registry)
                .workers(1)
                .idPrefix("example")
                .start()) {
      SearchSpec spec =
          client.submit(
              new SearchRequest("small-space.yaml", example("small-space.yaml"))
                  .team(TEAM)
                  .searchId(id)
                  .evaluator(ChoiceDistanceEvaluator.KIND)
                  .evaluatorSetting("target", "1")
                  .setAll(Map.of("seed", "5", "maxIterations", "40", "kMin", "8")));

      List<DistributionUpdate> updates = new ArrayList<>();
      SearchWatcher.follow(
          infra.bootstrapServers(),
          registry,
          TEAM,
          spec.getSearchId(),
          Map.of(),
          updates::add,
          Duration.ofMinutes(2));
      DistributionUpdate last = updates.get(updates.size() - 1);
      assertTrue(last.getDone(), "the search ended");

      // The same search in-process, scored by the same evaluator, ends bit for bit where the
      // pipeline did.
      SearchSpace space = SearchSpace.parse(spec.getSpace(), "space");
      ChoiceDistanceEvaluator evaluator = new ChoiceDistanceEvaluator();
      Map<String, String> settings = spec.getEvaluatorSettings();
      SearchResult reference =
          new InProcessSearch(
                  space,
                  Hyperparameters.fromMap(spec.getHyperparameters()),
                  (iteration, index, architecture) -> {
                    Measurement m =
                        evaluator.evaluate(
                            new EvaluationRequest(
                                id,
                                iteration,
                                index,
                                1,
                                architecture,
                                space,
                                spec.getSeed(),
                                settings,
                                null));
                    return new Scorer.Score(m.logLikelihood(), m.cost());
                  })
              .run();
      double[][] expected = reference.finalState().distribution().logits();
      double[][] actual = WireConversions.matrix(last.getLogits());
      for (int l = 0; l < expected.length; l++) {
        assertArrayEquals(expected[l], actual[l], 0.0, "final logits of layer " + l);
      }
      Architecture mode = WireConversions.architecture(last.getMode());
      double distance =
          evaluator
              .evaluate(new EvaluationRequest(id, 0, 0, 1, mode, space, 0, settings, null))
              .metrics()
              .get("distance");
      assertTrue(
          distance <= 2,
          "the final mode " + mode + " is within 2 choices of the target, not " + distance);
      SearchLog log =
          SearchHistory.read(infra.bootstrapServers(), registry, TEAM, true, Map.of())
              .search(id)
              .orElseThrow();
      assertFalse(log.results().isEmpty());
      for (EvaluationResult result : log.results()) {
        assertEquals(ResultStatus.OK, result.getStatus(), String.valueOf(result.getError()));
        assertTrue(
            result.getMetrics().containsKey("distance"),
            "evaluated by the example kind: " + result);
      }
    }
  }

  private static String example(String name) {
    try (InputStream in =
        Architecture.class.getResourceAsStream("/org/fpnas/core/examples/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
