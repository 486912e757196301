package org.fpnas.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.fpnas.client.SearchClient;
import org.fpnas.client.SearchRequest;
import org.fpnas.client.history.SearchHistory;
import org.fpnas.client.history.SearchLog;
import org.fpnas.client.history.SearchWatcher;
import org.fpnas.client.wire.WireConversions;
import org.fpnas.cluster.TopicReader;
import org.fpnas.controller.ControllerService;
import org.fpnas.controller.internals.SamplePlacement;
import org.fpnas.core.SearchState;
import org.fpnas.core.landscape.Landscape;
import org.fpnas.core.space.SearchSpace;
import org.fpnas.evaluator.EvaluatorService;
import org.fpnas.schemas.SchemaRegistryClient;
import org.fpnas.schemas.Topics;
import org.fpnas.schemas.avro.DistributionPhase;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.SearchSpec;
import org.fpnas.testkit.KafkaInfra;
import org.fpnas.testkit.RealKafka;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The whole pipeline on a real broker and registry: controller, aggregator and evaluators. */
@RealKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipelineIT {
  private static final String TEAM = "pipeline-it";
  private static final Duration TIMEOUT = Duration.ofMinutes(3);

  private final KafkaInfra infra;
  private final SchemaRegistryClient registry;
  private ControllerService controller;
  private EvaluatorService evaluators;
  private SearchClient client;

  PipelineIT(KafkaInfra infra) {
    this.infra = infra;
    this.registry = new SchemaRegistryClient(infra.schemaRegistryUrl());
  }

  @BeforeAll
  void startPipeline() {
    client = new SearchClient(infra.bootstrapServers(), registry);
    client.ensureTopics(TEAM);
    controller =
        new ControllerService(infra.bootstrapServers(), registry).stateDir(tempDir()).start();
    evaluators =
        new EvaluatorService(infra.bootstrapServers(), registry).workers(2).idPrefix("it").start();
  }

  @AfterAll
  void stopPipeline() {
    if (evaluators != null) {
      evaluators.close();
    }
    if (controller != null) {
      controller.close();
    }
    if (client != null) {
      client.close();
    }
  }

  @Test
  void theDistributionsPublishedThroughKafkaAreBitIdenticalToTheInProcessReference() {
    SearchSpec spec =
        client.submit(
            request(
                "bits",
                Map.of(
                    "seed",
                    "17",
                    "maxIterations",
                    "25",
                    "k0",
                    "24",
                    "kMin",
                    "2",
                    "factorizedIterations",
                    "10")));
    List<DistributionUpdate> published = follow(spec);
    Trajectories.assertIdenticalToReference(spec, published);
    // The FD -> JD switch happens at the configured iteration.
    assertEquals(DistributionPhase.FACTORIZED, published.get(9).getPhase());
    assertEquals(DistributionPhase.JOINT, published.get(10).getPhase());
    // K follows the entropy: it shrinks as the distribution concentrates.
    DistributionUpdate first = published.get(0);
    DistributionUpdate last = published.get(published.size() - 1);
    assertTrue(last.getEntropy() < first.getEntropy());
    assertTrue(
        last.getSampleCount() < first.getSampleCount(),
        "K " + first.getSampleCount() + " -> " + last.getSampleCount());
    assertTrue(last.getDone());
    assertSamplesSpreadEvenly(spec, published);
  }

  /**
   * Each iteration's samples cover the samples topic's partitions evenly (SamplePlacement), so that
   * evaluators owning different partitions get equal shares.
   */
  private void assertSamplesSpreadEvenly(SearchSpec spec, List<DistributionUpdate> published) {
    String topic = Topics.forTeam(TEAM).samples();
    Map<Integer, Map<Integer, Integer>> perIteration = new HashMap<>();
    int partitions;
    try (TopicReader reader = new TopicReader(infra.bootstrapServers(), Map.of())) {
      partitions = reader.partitionCount(topic, Duration.ofSeconds(60));
      for (ConsumerRecord<String, byte[]> r :
          reader.snapshot(List.of(topic), Duration.ofSeconds(60))) {
        String[] id = r.key().split("/");
        if (!id[0].equals(spec.getSearchId())) {
          continue;
        }
        int t = Integer.parseInt(id[1]);
        int k = Integer.parseInt(id[2]);
        assertEquals(SamplePlacement.partition(id[0], t, k, partitions), r.partition(), r.key());
        perIteration.computeIfAbsent(t, x -> new HashMap<>()).merge(r.partition(), 1, Integer::sum);
      }
    }
    for (DistributionUpdate u : published.subList(0, published.size() - 1)) {
      int k = u.getSampleCount();
      Map<Integer, Integer> counts = perIteration.get(u.getIteration());
      assertEquals(
          k,
          counts.values().stream().mapToInt(Integer::intValue).sum(),
          "iteration " + u.getIteration());
      int busiest = counts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
      assertEquals(
          (k + partitions - 1) / partitions,
          busiest,
          "iteration " + u.getIteration() + " (K = " + k + "): " + counts);
    }
  }

  @Test
  void twoConcurrentSearchesBothFindTheLandscapesBestArchitecture() {
    SearchSpec a = client.submit(request("a", Map.of("seed", "1", "maxIterations", "200")));
    SearchSpec b = client.submit(request("b", Map.of("seed", "2", "maxIterations", "200")));
    CompletableFuture<List<DistributionUpdate>> fa = CompletableFuture.supplyAsync(() -> follow(a));
    CompletableFuture<List<DistributionUpdate>> fb = CompletableFuture.supplyAsync(() -> follow(b));
    for (var pair : List.of(Map.entry(a, fa.join()), Map.entry(b, fb.join()))) {
      SearchSpec spec = pair.getKey();
      List<DistributionUpdate> published = pair.getValue();
      SearchSpace space = SearchSpace.parse(spec.getSpace(), "space");
      Landscape landscape = Landscape.parse(spec.getLandscape(), "landscape", space);
      DistributionUpdate last = published.get(published.size() - 1);
      assertEquals(
          landscape.best(),
          WireConversions.architecture(last.getMode()),
          spec.getSearchId() + " finds the best");
      List<SearchState> reference = Trajectories.reference(spec);
      assertEquals(
          reference.get(reference.size() - 1).distribution().mode(),
          WireConversions.architecture(last.getMode()));
    }
    SearchHistory history =
        SearchHistory.read(infra.bootstrapServers(), registry, TEAM, true, Map.of());
    for (SearchSpec spec : List.of(a, b)) {
      SearchLog log = history.search(spec.getSearchId()).orElseThrow();
      assertEquals("done", log.state());
      long expectedSamples =
          log.updates().stream()
              .limit(log.updates().size() - 1L)
              .mapToLong(DistributionUpdate::getSampleCount)
              .sum();
      assertEquals(expectedSamples, log.samplesEvaluated(), "every sample evaluated");
    }
  }

  private static Path tempDir() {
    try {
      Path dir = java.nio.file.Files.createTempDirectory("pipeline-it");
      dir.toFile().deleteOnExit();
      return dir;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private SearchRequest request(String id, Map<String, String> settings) {
    String unique = id + "-" + System.nanoTime();
    return new SearchRequest("small-space.yaml", TextFiles.example("small-space.yaml"))
        .landscape(TextFiles.example("small-landscape.yaml"))
        .team(TEAM)
        .searchId(unique)
        .setAll(settings);
  }

  private List<DistributionUpdate> follow(SearchSpec spec) {
    List<DistributionUpdate> out = new java.util.ArrayList<>();
    SearchWatcher.follow(
        infra.bootstrapServers(), registry, TEAM, spec.getSearchId(), Map.of(), out::add, TIMEOUT);
    return out;
  }
}
