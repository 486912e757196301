package org.fpnas.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.zip.CRC32;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.fpnas.client.SearchClient;
import org.fpnas.client.SearchRequest;
import org.fpnas.client.history.LiveHistory;
import org.fpnas.client.history.Replay;
import org.fpnas.client.history.SearchHistory;
import org.fpnas.client.history.SearchLog;
import org.fpnas.client.history.SearchWatcher;
import org.fpnas.cluster.TopicAdmin;
import org.fpnas.cluster.TopicReader;
import org.fpnas.controller.ControllerService;
import org.fpnas.schemas.SchemaRegistryClient;
import org.fpnas.schemas.SearchPartitions;
import org.fpnas.schemas.TeamSchemas;
import org.fpnas.schemas.Topics;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.SearchSpec;
import org.fpnas.testkit.KafkaInfra;
import org.fpnas.testkit.RealKafka;
import org.fpnas.testkit.TestClients;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example evaluator of {@code examples/python-evaluator} (Debian's python3-confluent-kafka and
 * python3-avro) as the only evaluator of a search, through the real broker and registry. It looks
 * up the schema it writes with before anything was published, and produces with librdkafka's
 * default partitioner (consistent_random, CRC32), not Java's murmur2.
 */
@RealKafka
class PythonEvaluatorIT {
  private static final String PYTHON = "/usr/bin/python3";
  private static final String TEAM = "python-it";
  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private final KafkaInfra infra;
  private final SchemaRegistryClient registry;

  @TempDir Path dir;

  PythonEvaluatorIT(KafkaInfra infra) {
    this.infra = infra;
    this.registry = new SchemaRegistryClient(infra.schemaRegistryUrl());
  }

  @Test
  void aSearchEvaluatedOnlyByThePythonExampleCompletesBitIdenticalToTheReference()
      throws Exception {
    requirePythonPackages();
    Topics topics = Topics.forTeam(TEAM);
    try (Admin admin = Admin.create(TestClients.adminProps(infra))) {
      TopicAdmin.ensureTopics(
          admin, topics.specs(), TIMEOUT); // topics only: the controller registers the schemas
    }
    // A search whose results librdkafka's default partitioner puts on another partition than
    // murmur2.
    String searchId =
        IntStream.range(0, 100)
            .mapToObj(i -> "py-" + System.nanoTime() + "-" + i)
            .filter(
                id ->
                    crc32Partition(id, Topics.DEFAULT_SEARCH_PARTITIONS)
                        != SearchPartitions.of(id, Topics.DEFAULT_SEARCH_PARTITIONS))
            .findFirst()
            .orElseThrow();
    try (ControllerService controller =
        new ControllerService(infra.bootstrapServers(), registry)
            .stateDir(dir.resolve("streams"))
            .start()) {
      TeamSchemas.of(TEAM)
          .forEach(
              (subject, schema) ->
                  assertEquals(schema, registry.latest(subject).schema(), subject));
      Process python = startEvaluator("python-it-" + System.nanoTime());
      try (SearchClient client = new SearchClient(infra.bootstrapServers(), registry)) {
        SearchSpec spec =
            client.submit(
                new SearchRequest("small-space.yaml", TextFiles.example("small-space.yaml"))
                    .team(TEAM)
                    .searchId(searchId)
                    .evaluator("python-example")
                    .setAll(
                        Map.of(
                            "seed",
                            "11",
                            "maxIterations",
                            "8",
                            "k0",
                            "6",
                            "kMin",
                            "6",
                            "learningRate",
                            "0.2")));
        List<DistributionUpdate> published = new ArrayList<>();
        try {
          SearchWatcher.follow(
              infra.bootstrapServers(),
              registry,
              TEAM,
              searchId,
              Map.of(),
              published::add,
              TIMEOUT);
        } catch (RuntimeException e) {
          fail(
              "the search did not complete with the Python evaluator: "
                  + e.getMessage()
                  + "\n"
                  + log(),
              e);
        }
        assertTrue(published.get(published.size() - 1).getDone(), log());
        Trajectories.assertIdenticalToReference(ExampleScore.reference(spec), published);
        SearchLog recorded =
            SearchHistory.read(infra.bootstrapServers(), registry, TEAM, true, Map.of())
                .search(searchId)
                .orElseThrow();
        assertTrue(Replay.verify(recorded).identical(), "replay of the recorded events");
        assertLiveHistoryMatches(recorded);
        assertResultsWereForwardedToTheSearchsPartition(topics.evaluations(), searchId);
      } finally {
        python.destroy();
        python.waitFor(20, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * The dashboard's live history skips the misplaced results as the recorded history does: the same
   * results, and its replay identical too.
   */
  private void assertLiveHistoryMatches(SearchLog recorded) throws InterruptedException {
    String id = recorded.spec().getSearchId();
    try (LiveHistory live =
        LiveHistory.start(infra.bootstrapServers(), registry, TEAM, Map.of(), changed -> {})) {
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (live.search(id).map(l -> l.updates().size()).orElse(0) < recorded.updates().size()
          && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      SearchLog followed = live.search(id).orElseThrow();
      assertEquals(recorded.results(), followed.results(), "the live history's results");
      assertTrue(Replay.verify(followed).identical(), "replay of the live history");
    }
  }

  /**
   * The Python client's records sit where CRC32 put them; the aggregator's copies on the murmur2
   * partition.
   */
  private void assertResultsWereForwardedToTheSearchsPartition(String topic, String searchId) {
    int crc = crc32Partition(searchId, Topics.DEFAULT_SEARCH_PARTITIONS);
    int murmur = SearchPartitions.of(searchId, Topics.DEFAULT_SEARCH_PARTITIONS);
    Map<Integer, Integer> originals = new HashMap<>();
    Map<Integer, Integer> forwarded = new HashMap<>();
    try (TopicReader reader = new TopicReader(infra.bootstrapServers(), Map.of())) {
      for (ConsumerRecord<String, byte[]> r : reader.snapshot(List.of(topic), TIMEOUT)) {
        if (searchId.equals(r.key())) {
          boolean copy = r.headers().lastHeader(SearchPartitions.FORWARDED_FROM) != null;
          (copy ? forwarded : originals).merge(r.partition(), 1, Integer::sum);
        }
      }
    }
    assertEquals(
        Set.of(crc), originals.keySet(), "every result of the Python client on partition " + crc);
    assertEquals(
        Map.of(murmur, originals.get(crc)),
        forwarded,
        "each result forwarded once, to the search's partition");
  }

  /**
   * librdkafka's consistent_random for a keyed record: CRC32 of the key modulo the partition count.
   */
  private static int crc32Partition(String key, int partitions) {
    CRC32 crc = new CRC32();
    crc.update(key.getBytes(StandardCharsets.UTF_8));
    return (int) (crc.getValue() % partitions);
  }

  private Process startEvaluator(String group) throws IOException {
    Path script = examples().resolve("python-evaluator/evaluator.py");
    ProcessBuilder pb =
        new ProcessBuilder(
            PYTHON,
            script.toString(),
            "--bootstrap-servers",
            infra.bootstrapServers(),
            "--schema-registry",
            infra.schemaRegistryUrl(),
            "--team",
            TEAM,
            "--group",
            group,
            "--id",
            "python-it");
    pb.redirectErrorStream(true).redirectOutput(dir.resolve("python.log").toFile());
    return pb.start();
  }

  private String log() {
    try {
      return "python evaluator output:\n" + Files.readString(dir.resolve("python.log"));
    } catch (IOException e) {
      return "(no python evaluator output: " + e + ")";
    }
  }

  private static Path examples() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("examples/python-evaluator"))) {
        return p.resolve("examples");
      }
    }
    throw new IllegalStateException(
        "examples/python-evaluator not found above " + Path.of("").toAbsolutePath());
  }

  /**
   * Fails, with how to install them, where Python or its packages are missing: this test must not
   * skip.
   */
  private static void requirePythonPackages() throws Exception {
    if (!Files.isExecutable(Path.of(PYTHON))) {
      fail(PYTHON + " is missing: apt-get install -y python3 python3-confluent-kafka python3-avro");
    }
    Process p =
        new ProcessBuilder(PYTHON, "-c", "import confluent_kafka, avro.io")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      fail(
          "the Python evaluator needs Debian's python3-confluent-kafka and python3-avro "
              + "(apt-get install -y python3-confluent-kafka python3-avro): "
              + out);
    }
  }
}
