package org.fpnas.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.fpnas.admin.AccessRules;
import org.fpnas.admin.ScramCredentials;
import org.fpnas.admin.TeamAdmin;
import org.fpnas.client.SearchClient;
import org.fpnas.client.SearchRequest;
import org.fpnas.client.history.SearchHistory;
import org.fpnas.client.history.SearchLog;
import org.fpnas.client.history.SearchWatcher;
import org.fpnas.cluster.TopicReader;
import org.fpnas.controller.ControllerService;
import org.fpnas.embedded.EmbeddedInfra;
import org.fpnas.schemas.SchemaRegistryClient;
import org.fpnas.schemas.SearchPartitions;
import org.fpnas.schemas.TeamSettings;
import org.fpnas.schemas.Topics;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.EvaluationResult;
import org.fpnas.schemas.avro.SearchSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example evaluator of {@code examples/node-evaluator} (KafkaJS, avsc) as the only evaluator of
 * a search on the secure cluster: SASL/SCRAM logins, ACLs and registry basic auth. It runs as the
 * services principal from that principal's client settings file, in the evaluators' group, the
 * controller runs as the services principal too, and the team submits and follows as itself.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NodeEvaluatorIT {
  private static final String TEAM = "node-it";
  private static final String EVALUATOR_ID = "node-it-evaluator";
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void aSearchOnTheSecureClusterEvaluatedOnlyByTheNodeExampleCompletesBitIdenticalToTheReference()
      throws Exception {
    Path example = examples().resolve("node-evaluator");
    Optional<Path> node = onPath("node");
    assumeTrue(
        node.isPresent(), "node is not on the PATH: apt-get install -y nodejs npm (.ci/run does)");
    assumeTrue(
        Files.isDirectory(example.resolve("node_modules")),
        "no " + example.resolve("node_modules") + ": run npm ci there (.ci/run does)");
    try (EmbeddedInfra infra =
        new EmbeddedInfra(dir.resolve("infra"))
            .inProcess(true)
            .secure(true)
            .acls(AccessRules.bindings(AccessRules.services("User:" + EmbeddedInfra.SERVICES_USER)))
            .start()) {
      ScramCredentials team = createTeam(infra);
      // The evaluator joins its group while the controller starts.
      Process evaluator = startEvaluator(node.get(), example, infra);
      try (ControllerService controller = startController(infra)) {
        SearchSpec spec = submit(infra, team);
        List<DistributionUpdate> published = follow(infra, team, spec.getSearchId());
        Trajectories.assertIdenticalToReference(ExampleScore.reference(spec), published);
        int samples =
            published.subList(0, published.size() - 1).stream()
                .mapToInt(DistributionUpdate::getSampleCount)
                .sum();
        assertEveryResultIsTheNodeEvaluators(infra, team, spec.getSearchId(), samples);
        assertResultsOnTheSearchsPartition(infra, team, spec.getSearchId(), samples);
      } finally {
        evaluator.destroy();
        evaluator.waitFor(20, TimeUnit.SECONDS);
      }
    }
  }

  private static ScramCredentials createTeam(EmbeddedInfra infra) {
    ScramCredentials admin = infra.adminCredentials();
    try (TeamAdmin teams =
        new TeamAdmin(infra.bootstrapServers(), admin.clientProperties(), registry(infra, admin))) {
      return teams.create(TeamSettings.defaults(TEAM));
    }
  }

  private ControllerService startController(EmbeddedInfra infra) {
    ScramCredentials services = infra.servicesCredentials();
    ControllerService controller =
        new ControllerService(infra.bootstrapServers(), registry(infra, services))
            .stateDir(dir.resolve("streams"));
    services.clientProperties().forEach(controller::property);
    return controller.start();
  }

  private static SearchSpec submit(EmbeddedInfra infra, ScramCredentials team) {
    try (SearchClient client = new SearchClient(infra.bootstrapServers(), registry(infra, team))) {
      team.clientProperties().forEach(client::clientProperty);
      return client.submit(
          new SearchRequest("small-space.yaml", TextFiles.example("small-space.yaml"))
              .team(TEAM)
              .searchId("node-" + System.nanoTime())
              .evaluator("node-example")
              .setAll(
                  Map.of(
                      "seed",
                      "11",
                      "maxIterations",
                      "6",
                      "k0",
                      "6",
                      "kMin",
                      "6",
                      "learningRate",
                      "0.2")));
    }
  }

  /** Every distribution the search published, as the team sees them, up to the final one. */
  private List<DistributionUpdate> follow(
      EmbeddedInfra infra, ScramCredentials team, String searchId) {
    List<DistributionUpdate> published = new ArrayList<>();
    try {
      SearchWatcher.follow(
          infra.bootstrapServers(),
          registry(infra, team),
          TEAM,
          searchId,
          team.clientProperties(),
          published::add,
          TIMEOUT);
    } catch (RuntimeException e) {
      fail("the search did not complete with the Node.js evaluator: " + e + "\n" + log(), e);
    }
    assertTrue(published.get(published.size() - 1).getDone(), log());
    return published;
  }

  private static void assertEveryResultIsTheNodeEvaluators(
      EmbeddedInfra infra, ScramCredentials team, String searchId, int samples) {
    SearchLog recorded =
        SearchHistory.read(
                infra.bootstrapServers(),
                registry(infra, team),
                TEAM,
                true,
                team.clientProperties())
            .search(searchId)
            .orElseThrow();
    assertEquals(samples, recorded.results().size(), "one result per sample");
    for (EvaluationResult r : recorded.results()) {
      assertEquals(EVALUATOR_ID, r.getEvaluatorId(), "evaluated by the Node.js example");
    }
  }

  /**
   * KafkaJS's default partitioner is Java's murmur2: every result lands on its search's partition
   * and none needs the aggregator's forwarding.
   */
  private static void assertResultsOnTheSearchsPartition(
      EmbeddedInfra infra, ScramCredentials team, String searchId, int samples) {
    String topic = Topics.forTeam(TEAM).evaluations();
    int partition = SearchPartitions.of(searchId, Topics.DEFAULT_SEARCH_PARTITIONS);
    int found = 0;
    try (TopicReader reader = new TopicReader(infra.bootstrapServers(), team.clientProperties())) {
      for (ConsumerRecord<String, byte[]> r : reader.snapshot(List.of(topic), TIMEOUT)) {
        if (searchId.equals(r.key())) {
          assertEquals(partition, r.partition(), "the search's partition");
          assertNull(r.headers().lastHeader(SearchPartitions.FORWARDED_FROM), "not forwarded");
          found++;
        }
      }
    }
    assertEquals(samples, found, "results of the search on " + topic);
  }

  private Process startEvaluator(Path node, Path example, EmbeddedInfra infra) throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(
            node.toString(),
            example.resolve("evaluator.js").toString(),
            "--bootstrap-servers",
            infra.bootstrapServers(),
            "--schema-registry",
            infra.schemaRegistryUrl(),
            "--client-config",
            infra.servicesClientConfig().toString(),
            "--team",
            TEAM,
            "--id",
            EVALUATOR_ID);
    pb.redirectErrorStream(true).redirectOutput(dir.resolve("node.log").toFile());
    return pb.start();
  }

  private static SchemaRegistryClient registry(EmbeddedInfra infra, ScramCredentials who) {
    return new SchemaRegistryClient(infra.schemaRegistryUrl())
        .basicAuth(who.user(), who.password());
  }

  private String log() {
    try {
      return "node evaluator output:\n" + Files.readString(dir.resolve("node.log"));
    } catch (IOException e) {
      return "(no node evaluator output: " + e + ")";
    }
  }

  private static Optional<Path> onPath(String command) {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .filter(d -> !d.isEmpty())
        .map(d -> Path.of(d, command))
        .filter(Files::isExecutable)
        .findFirst();
  }

  private static Path examples() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("examples/node-evaluator"))) {
        return p.resolve("examples");
      }
    }
    throw new IllegalStateException(
        "examples/node-evaluator not found above " + Path.of("").toAbsolutePath());
  }
}
