package org.fpnas.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.fpnas.client.SearchClient;
import org.fpnas.client.SearchRequest;
import org.fpnas.client.SearchSpecs;
import org.fpnas.client.history.SearchHistory;
import org.fpnas.core.space.SearchSpace;
import org.fpnas.core.tabular.TabularBenchmarks;
import org.fpnas.evaluator.EvaluatorService;
import org.fpnas.schemas.AvroSerde;
import org.fpnas.schemas.SchemaRegistryClient;
import org.fpnas.schemas.Topics;
import org.fpnas.schemas.WireLists;
import org.fpnas.schemas.avro.ArchitectureSample;
import org.fpnas.schemas.avro.EvaluationResult;
import org.fpnas.schemas.avro.ResultStatus;
import org.fpnas.schemas.avro.SearchSpec;
import org.fpnas.testkit.KafkaInfra;
import org.fpnas.testkit.RealKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input that users and other services can send, on a real broker: a clear error, nothing lost.
 */
@RealKafka
class BadInputIT {
  private final KafkaInfra infra;
  private final SchemaRegistryClient registry;

  BadInputIT(KafkaInfra infra) {
    this.infra = infra;
    this.registry = new SchemaRegistryClient(infra.schemaRegistryUrl());
  }

  @Test
  void anInvalidSearchIsRejectedAtSubmitAndNothingIsPublished() throws Exception {
    String team = "badsubmit-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    try (SearchClient client = new SearchClient(infra.bootstrapServers(), registry)) {
      client.ensureTopics(team);
      String space = TextFiles.example("small-space.yaml");
      String landscape = TextFiles.example("small-landscape.yaml");
      var badSpace =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  client.submit(
                      new SearchRequest("broken.yaml", "name: x\nlayers: []\n")
                          .team(team)
                          .landscape(landscape)));
      assertTrue(badSpace.getMessage().contains("broken.yaml"), badSpace.getMessage());
      var badSetting =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  client.submit(
                      new SearchRequest("s.yaml", space)
                          .team(team)
                          .landscape(landscape)
                          .set("learningRate", "-1")));
      assertTrue(badSetting.getMessage().contains("learningRate"), badSetting.getMessage());
      var unknownSetting =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  client.submit(
                      new SearchRequest("s.yaml", space)
                          .team(team)
                          .landscape(landscape)
                          .set("learnignRate", "0.1")));
      assertTrue(unknownSetting.getMessage().contains("learnignRate"), unknownSetting.getMessage());
      var noLandscape =
          assertThrows(
              IllegalArgumentException.class,
              () -> client.submit(new SearchRequest("s.yaml", space).team(team)));
      assertTrue(noLandscape.getMessage().contains("landscape"), noLandscape.getMessage());
      assertEquals(0, endOffset(Topics.forTeam(team).searches()), "nothing was published");
    }
  }

  @Test
  void aSampleTheEvaluatorCannotBuildBecomesAFailedResultWithTheReason() throws Exception {
    String team = "badsample-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    try (SearchClient client = new SearchClient(infra.bootstrapServers(), registry);
        EvaluatorService evaluators =
            new EvaluatorService(infra.bootstrapServers(), registry).workers(1).start()) {
      client.ensureTopics(team);
      // A real search (no controller runs here, so nothing else is sampled) and a forged sample of
      // it.
      SearchSpec spec =
          client.submit(
              new SearchRequest("s.yaml", TextFiles.example("small-space.yaml"))
                  .team(team)
                  .landscape(TextFiles.example("small-landscape.yaml"))
                  .searchId("forged"));
      ArchitectureSample sample =
          ArchitectureSample.newBuilder()
              .setSampleId("forged/0/0")
              .setSearchId(spec.getSearchId())
              .setTeam(team)
              .setIteration(0)
              .setIndex(0)
              .setSampleCount(1)
              .setChoices(List.of(List.of(0, 0, 99)))
              .setDistributionVersion(0L)
              .setAttempt(1)
              .setCreatedAtMs(0L)
              .build();
      String samples = Topics.forTeam(team).samples();
      Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
      try (var producer =
          new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
        producer
            .send(
                new ProducerRecord<>(
                    samples,
                    sample.getSampleId(),
                    new AvroSerde<>(registry, ArchitectureSample.class).serialize(samples, sample)))
            .get(30, TimeUnit.SECONDS);
      }
      EvaluationResult result = awaitResult(team, spec.getSearchId(), Duration.ofSeconds(60));
      assertEquals(ResultStatus.FAILED, result.getStatus());
      assertTrue(result.getError().contains("layer"), result.getError());
    }
  }

  /**
   * A team can write a spec to its searches topic without submit's checks: one that names a file of
   * the evaluator's host, as a tabular benchmark or as the DJL data directory, fails its samples
   * with a result that names the setting and nothing of the host.
   */
  @Test
  void aSettingPastSubmitThatNamesAFileOfTheEvaluatorsHostFailsNamingOnlyTheSetting(
      @TempDir Path dir) throws Exception {
    String team = "hostfile-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    Path file = Files.writeString(dir.resolve("benchmark.yaml"), "name: secret-content\n");
    SearchSpace nb201 = TabularBenchmarks.get("nasbench201-cifar10").space();
    SearchSpace fbnet =
        SearchSpace.parse(TextFiles.example("fbnet-fmnist.yaml"), "fbnet-fmnist.yaml");
    try (SearchClient client = new SearchClient(infra.bootstrapServers(), registry);
        EvaluatorService evaluators =
            new EvaluatorService(infra.bootstrapServers(), registry).workers(1).start()) {
      client.ensureTopics(team);
      SearchSpec tabular =
          pastSubmit(
              new SearchRequest("space.yaml", nb201.toYaml())
                  .evaluator("tabular")
                  .evaluatorSetting("benchmark", "nasbench201-cifar10"),
              team,
              "tabular",
              Map.of("benchmark", file.toString()));
      SearchSpec djl =
          pastSubmit(
              new SearchRequest("fbnet-fmnist.yaml", TextFiles.example("fbnet-fmnist.yaml"))
                  .evaluator("djl"),
              team,
              "djl",
              Map.of("dataDir", dir.toString()));
      for (var search : List.of(Map.entry(tabular, nb201), Map.entry(djl, fbnet))) {
        client.publish(search.getKey());
        forge(team, search.getKey().getSearchId(), search.getValue());
      }
      for (var expected : Map.of(tabular, "benchmark", djl, "dataDir").entrySet()) {
        EvaluationResult result =
            awaitResult(team, expected.getKey().getSearchId(), Duration.ofSeconds(60));
        String error = result.getError();
        assertEquals(ResultStatus.FAILED, result.getStatus(), error);
        assertTrue(error.startsWith("evaluator setting " + expected.getValue()), error);
        assertTrue(error.contains("the evaluator operator's to configure"), error);
        assertFalse(error.contains("/") || error.contains("secret-content"), error);
      }
    }
  }

  /** The spec of a valid request with evaluator settings that submit would refuse. */
  private static SearchSpec pastSubmit(
      SearchRequest request, String team, String id, Map<String, String> settings) {
    return SearchSpec.newBuilder(SearchSpecs.validate(request.team(team).searchId(id), 0L))
        .setEvaluatorSettings(settings)
        .build();
  }

  /** A sample of the first architecture of the space, as the controller would publish it. */
  private void forge(String team, String searchId, SearchSpace space) throws Exception {
    int[][] zeros = new int[space.layerCount()][];
    for (int l = 0; l < zeros.length; l++) {
      zeros[l] = new int[space.layer(l).variables().size()];
    }
    ArchitectureSample sample =
        ArchitectureSample.newBuilder()
            .setSampleId(searchId + "/0/0")
            .setSearchId(searchId)
            .setTeam(team)
            .setIteration(0)
            .setIndex(0)
            .setSampleCount(1)
            .setChoices(WireLists.ofInts(zeros))
            .setDistributionVersion(0L)
            .setAttempt(1)
            .setCreatedAtMs(0L)
            .build();
    String samples = Topics.forTeam(team).samples();
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
    try (var producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      producer
          .send(
              new ProducerRecord<>(
                  samples,
                  sample.getSampleId(),
                  new AvroSerde<>(registry, ArchitectureSample.class).serialize(samples, sample)))
          .get(30, TimeUnit.SECONDS);
    }
  }

  private EvaluationResult awaitResult(String team, String searchId, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      var log =
          SearchHistory.read(infra.bootstrapServers(), registry, team, true, Map.of())
              .search(searchId);
      if (log.isPresent() && !log.get().results().isEmpty()) {
        return log.get().results().get(0);
      }
      Thread.sleep(500);
    }
    throw new AssertionError("no result for the forged sample within " + timeout);
  }

  private long endOffset(String topic) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.bootstrapServers()))) {
      long sum = 0;
      int partitions =
          admin
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get(10, TimeUnit.SECONDS)
              .get(topic)
              .partitions()
              .size();
      for (int i = 0; i < partitions; i++) {
        TopicPartition tp = new TopicPartition(topic, i);
        sum +=
            admin
                .listOffsets(Map.of(tp, OffsetSpec.latest()))
                .all()
                .get(10, TimeUnit.SECONDS)
                .get(tp)
                .offset();
      }
      return sum;
    }
  }
}
