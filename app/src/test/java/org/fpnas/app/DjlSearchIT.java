package org.fpnas.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fpnas.client.SearchClient;
import org.fpnas.client.SearchRequest;
import org.fpnas.client.history.SearchHistory;
import org.fpnas.client.history.SearchLog;
import org.fpnas.client.history.SearchWatcher;
import org.fpnas.client.wire.WireConversions;
import org.fpnas.controller.ControllerService;
import org.fpnas.core.Distribution;
import org.fpnas.core.Sampler;
import org.fpnas.core.mbconv.FlopsCounter;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.SearchSpace;
import org.fpnas.evaluator.djl.DjlEvaluator;
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

/**
 * A short search on Fashion-MNIST through a real broker with two DJL evaluator processes (each its
 * own supernet replica, averaging through one checkpoint directory): it completes, every result is
 * a valid evaluation of its sample, and the warm-up is in the search's events; then {@code fpnas
 * train-final} trains the search's final architecture read back from the broker.
 */
@RealKafka
class DjlSearchIT {
  private static final String TEAM = "djl-it";
  private final KafkaInfra infra;

  @TempDir Path dir;

  DjlSearchIT(KafkaInfra infra) {
    this.infra = infra;
  }

  @Test
  void aShortSearchWithTwoDjlEvaluatorProcessesCompletesWithAValidResult() throws Exception {
    SchemaRegistryClient registry = new SchemaRegistryClient(infra.schemaRegistryUrl());
    Path checkpoints = Files.createDirectories(dir.resolve("checkpoints"));
    try (SearchClient client = new SearchClient(infra.bootstrapServers(), registry);
        FpnasProcess a = evaluator("djl-a", checkpoints);
        FpnasProcess b = evaluator("djl-b", checkpoints);
        ControllerService controller =
            new ControllerService(infra.bootstrapServers(), registry)
                .stateDir(dir.resolve("streams"))
                .start()) {
      client.ensureTopics(TEAM);
      a.awaitOutput("evaluator running", Duration.ofMinutes(2));
      b.awaitOutput("evaluator running", Duration.ofMinutes(2));
      // Both processes in the group with the team's partitions before the search: submitted
      // earlier, the first to join may take every sample.
      EvaluatorGroup.awaitStable(
          infra.bootstrapServers(),
          2,
          List.of(Topics.forTeam(TEAM).samples()),
          Topics.DEFAULT_SAMPLE_PARTITIONS,
          Duration.ofMinutes(2));
      SearchSpec spec =
          client.submit(
              new SearchRequest("fbnet-fmnist.yaml", TextFiles.example("fbnet-fmnist.yaml"))
                  .team(TEAM)
                  .searchId("djl-" + System.nanoTime())
                  .evaluator(DjlEvaluator.KIND)
                  .setAll(
                      Map.of(
                          "seed", "5", "maxIterations", "1", "fixedK", "16", "learningRate", "0.1"))
                  .evaluatorSetting("trainSteps", "2")
                  .evaluatorSetting("batchSize", "32")
                  .evaluatorSetting("validationBatch", "128")
                  .evaluatorSetting("warmupSteps", "4")
                  .evaluatorSetting("syncInterval", "2"));
      DistributionUpdate last =
          SearchWatcher.follow(
              infra.bootstrapServers(),
              registry,
              TEAM,
              spec.getSearchId(),
              Map.of(),
              u -> {},
              Duration.ofMinutes(6));
      assertTrue(last.getDone(), "the search finished");

      SearchLog log =
          SearchHistory.read(infra.bootstrapServers(), registry, TEAM, true, Map.of())
              .search(spec.getSearchId())
              .orElseThrow();
      assertEquals("done", log.state());
      SearchSpace space = SearchSpace.parse(log.spec().getSpace(), "space");
      FlopsCounter counter = new FlopsCounter(space);
      Set<String> evaluatorIds = new HashSet<>();
      boolean warmUpRecorded = false;
      for (EvaluationResult r : log.results()) {
        assertEquals(
            ResultStatus.OK, r.getStatus(), "result " + r.getSampleId() + ": " + r.getError());
        Distribution d = WireConversions.distribution(space, log.updates().get(r.getIteration()));
        Architecture sample =
            Sampler.sample(d, log.spec().getSeed(), r.getIteration(), r.getIndex());
        assertEquals(
            counter.multiplyAdds(sample),
            r.getCost(),
            "cost of " + r.getSampleId() + " is its FLOPs");
        // 128 validation images: the summed log-likelihood is below 0 and far above 128 * ln(1e-5).
        assertTrue(
            r.getLogLikelihood() < 0 && r.getLogLikelihood() > -128 * 11.5,
            "ll " + r.getLogLikelihood());
        double accuracy = r.getMetrics().get("validationAccuracy");
        assertTrue(accuracy >= 0 && accuracy <= 1, "validation accuracy " + accuracy);
        warmUpRecorded |= r.getMetrics().containsKey("warmupSteps");
        evaluatorIds.add(r.getEvaluatorId().replaceAll("-\\d+$", ""));
      }
      assertEquals(16, log.samplesEvaluated(), "1 iteration of 16 samples");
      assertTrue(warmUpRecorded, "the warm-up is recorded in the results");
      // An iteration's 16 samples cover the 16 partitions, one each (SamplePlacement), and each
      // process holds some of them: both processes evaluate.
      assertEquals(
          Set.of("djl-a", "djl-b"), evaluatorIds, "both evaluator processes evaluated samples");
      Architecture found = WireConversions.architecture(last.getMode());
      found.validate(space);
      System.out.println(
          "evaluators "
              + evaluatorIds
              + ", found "
              + found
              + " with "
              + counter.multiplyAdds(found)
              + " multiply-adds");
      a.stop();
      b.stop();

      // train-final on the recorded search: reads its final architecture from the broker, trains
      // it.
      Path models = dir.resolve("models");
      int code =
          Main.run(
              "train-final",
              "--bootstrap-servers",
              infra.bootstrapServers(),
              "--schema-registry",
              infra.schemaRegistryUrl(),
              "--team",
              TEAM,
              "--epochs",
              "1",
              "--training-images",
              "512",
              "--batch-size",
              "64",
              "--output",
              models.toString(),
              spec.getSearchId());
      assertEquals(0, code);
      assertEquals(
          found.toJson(space),
          Files.readString(
                  models.resolve(spec.getSearchId()).resolve("found").resolve("architecture.json"))
              .trim(),
          "the model saved as found is the search's final architecture");
      assertTrue(Files.isDirectory(models.resolve(spec.getSearchId()).resolve("random")));
    }
  }

  private FpnasProcess evaluator(String id, Path checkpoints) {
    return FpnasProcess.start(
        "768m",
        dir.resolve("logs/" + id + ".log"),
        "evaluator",
        "--bootstrap-servers",
        infra.bootstrapServers(),
        "--schema-registry",
        infra.schemaRegistryUrl(),
        "--id",
        id,
        "--setting",
        DjlEvaluator.CHECKPOINT_DIR + "=" + checkpoints);
  }
}
