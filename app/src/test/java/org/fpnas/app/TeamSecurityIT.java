package org.fpnas.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.fpnas.admin.AccessRules;
import org.fpnas.admin.ScramCredentials;
import org.fpnas.admin.TeamAdmin;
import org.fpnas.client.SearchClient;
import org.fpnas.client.SearchRequest;
import org.fpnas.client.history.SearchWatcher;
import org.fpnas.cluster.TeamSettingsTopic;
import org.fpnas.controller.ControllerService;
import org.fpnas.dashboard.Dashboard;
import org.fpnas.embedded.EmbeddedInfra;
import org.fpnas.evaluator.EvaluatorService;
import org.fpnas.metrics.PrometheusEndpoint;
import org.fpnas.schemas.SchemaRegistryClient;
import org.fpnas.schemas.SchemaRegistryException;
import org.fpnas.schemas.TeamSchemas;
import org.fpnas.schemas.TeamSettings;
import org.fpnas.schemas.Topics;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.SearchSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Teams on a secure broker: the controller and evaluators run as the services principal, teams a
 * and b as their own principals. Team a's search runs to the end; everything of team b, the
 * services' group and the registry's writes are refused to team a, each with its own authorization
 * error.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TeamSecurityIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  @TempDir static Path dir;

  private EmbeddedInfra infra;
  private String bootstrap;
  private ScramCredentials teamA;
  private ScramCredentials teamB;
  private Path teamAConfig;
  private Path adminConfig;
  private ControllerService controller;
  private EvaluatorService evaluators;
  private SearchSpec searchOfB;

  @BeforeAll
  void startSecureClusterWithTwoTeams() {
    infra =
        new EmbeddedInfra(dir.resolve("infra"))
            .inProcess(true)
            .secure(true)
            .acls(AccessRules.bindings(AccessRules.services("User:" + EmbeddedInfra.SERVICES_USER)))
            .start();
    bootstrap = infra.bootstrapServers();
    adminConfig = infra.adminClientConfig();
    try (TeamAdmin admin =
        new TeamAdmin(
            bootstrap,
            infra.adminCredentials().clientProperties(),
            registry(infra.adminCredentials()))) {
      teamA =
          admin.create(
              new TeamSettings("a", 2, 0, 0, 10L << 20, 10L << 20, TeamSettings.principalOf("a")));
      teamB = admin.create(TeamSettings.defaults("b"));
    }
    teamAConfig = dir.resolve("team-a.properties");
    teamA.writeClientConfig(teamAConfig);
    ScramCredentials services = infra.servicesCredentials();
    controller =
        new ControllerService(bootstrap, registry(services)).stateDir(dir.resolve("streams"));
    services.clientProperties().forEach(controller::property);
    controller.start();
    evaluators =
        new EvaluatorService(bootstrap, registry(services)).workers(2).idPrefix("secure-it");
    services.clientProperties().forEach(evaluators::clientProperty);
    evaluators.start();
    try (SearchClient asB = client(teamB)) {
      searchOfB = asB.submit(request("b", "b-search"));
    }
  }

  @AfterAll
  void stop() {
    if (evaluators != null) {
      evaluators.close();
    }
    if (controller != null) {
      controller.close();
    }
    if (infra != null) {
      infra.close();
    }
  }

  @Test
  void teamAsSearchRunsToTheEndAndItsCommandsShowOnlyItsOwnSearches() throws Exception {
    SearchSpec mine;
    try (SearchClient asA = client(teamA)) {
      mine = asA.submit(request("a", "a-search"));
    }
    DistributionUpdate last =
        SearchWatcher.follow(
            bootstrap,
            registry(teamA),
            "a",
            mine.getSearchId(),
            teamA.clientProperties(),
            u -> {},
            TIMEOUT);
    assertTrue(last.getDone(), "team a's search ran to the end");

    String[] asA = {
      "--bootstrap-servers",
      bootstrap,
      "--schema-registry",
      infra.schemaRegistryUrl(),
      "--client-config",
      teamAConfig.toString()
    };
    Run status = fpnas("status", asA);
    assertEquals(0, status.code(), status.err());
    assertTrue(status.out().contains(mine.getSearchId()), status.out());
    assertFalse(status.out().contains(searchOfB.getSearchId()), status.out());

    Run history = fpnas("history", asA);
    assertEquals(0, history.code(), history.err());
    assertTrue(history.out().contains(mine.getSearchId()), history.out());
    assertFalse(
        history.out().contains(searchOfB.getSearchId()),
        "the broker lists only a's topics: " + history.out());

    Run historyOfB = fpnas("history", append(asA, "--team", "b"));
    assertEquals(0, historyOfB.code(), historyOfB.err());
    assertTrue(historyOfB.out().contains("1 of 1 team(s) not shown"), historyOfB.out());
    assertFalse(historyOfB.out().contains(searchOfB.getSearchId()));

    Run statusOfB = fpnas("status", append(asA, "--team", "b"));
    assertNotEquals(0, statusOfB.code());
    assertTrue(statusOfB.err().contains("not authorized to read team b"), statusOfB.err());

    Run result = fpnas("result", append(asA, mine.getSearchId()));
    assertEquals(0, result.code(), result.err());
    assertTrue(result.out().contains("finalArchitecture"), result.out());
    Run resultOfB = fpnas("result", append(asA, "--team", "b", searchOfB.getSearchId()));
    assertTrue(resultOfB.err().contains("not authorized to read team b"), resultOfB.err());

    Run export =
        fpnas(
            "export",
            append(asA, mine.getSearchId(), "--output", dir.resolve("export").toString()));
    assertEquals(0, export.code(), export.err());
    try (var tables = Files.list(dir.resolve("export"))) {
      assertTrue(tables.count() >= 2, "iterations and samples tables");
    }
    Run exportOfB =
        fpnas(
            "export",
            append(
                asA,
                "--team",
                "b",
                searchOfB.getSearchId(),
                "--output",
                dir.resolve("export-b").toString()));
    assertTrue(exportOfB.err().contains("not authorized to read team b"), exportOfB.err());

    // Team a's dashboard: a's search, nothing of b's, and no view of the services' group.
    try (PrometheusEndpoint metrics = PrometheusEndpoint.create();
        Dashboard dashboard =
            Dashboard.start(
                Dashboard.Settings.localhost(0),
                bootstrap,
                registry(teamA),
                teamA.clientProperties(),
                metrics,
                java.time.Clock.systemUTC())) {
      String base = dashboard.url().toString();
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      String searches = http(base + "api/searches").body();
      while (!searches.contains(mine.getSearchId()) && System.nanoTime() < deadline) {
        Thread.sleep(300);
        searches = http(base + "api/searches").body();
      }
      assertTrue(searches.contains(mine.getSearchId()) && searches.contains("\"done\""), searches);
      assertFalse(
          searches.contains(searchOfB.getSearchId()), "b's search is not shown: " + searches);
      assertFalse(searches.contains("\"b\""), "team b is not listed: " + searches);
      var ofB = http(base + "api/search?team=b&id=" + searchOfB.getSearchId());
      assertEquals(404, ofB.statusCode(), ofB.body());
      assertTrue(
          http(base + "api/evaluators").body().contains("groupError"),
          "a may not describe the evaluators' group");
    }
  }

  private static java.net.http.HttpResponse<String> http(String url) throws Exception {
    return java.net.http.HttpClient.newHttpClient()
        .send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void teamACannotReadTeamBsTopicsNorTheServicesOnes() {
    Topics b = Topics.forTeam("b");
    for (String topic :
        List.of(
            b.evaluations(),
            b.distributions(),
            b.samples(),
            b.searches(),
            b.admissions(),
            TeamSettings.TOPIC,
            Topics.REDISPATCH_TOPIC,
            internalTopic())) {
      KafkaException refused =
          assertThrows(KafkaException.class, () -> readOne(teamA, topic), topic);
      assertInstanceOf(TopicAuthorizationException.class, refused, topic + ": " + refused);
      assertTrue(
          ((TopicAuthorizationException) refused).unauthorizedTopics().contains(topic),
          refused.getMessage());
    }
  }

  @Test
  void teamACannotSubmitIntoTeamB() throws Exception {
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            props(
                teamA,
                Map.of(
                    ProducerConfig.MAX_BLOCK_MS_CONFIG,
                    "20000",
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                    "20000",
                    ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                    "10000")),
            new StringSerializer(),
            new ByteArraySerializer())) {
      ExecutionException e =
          assertThrows(
              ExecutionException.class,
              () ->
                  producer
                      .send(
                          new ProducerRecord<>(
                              Topics.forTeam("b").searches(), "forged", new byte[] {0}))
                      .get(30, TimeUnit.SECONDS));
      assertInstanceOf(TopicAuthorizationException.class, e.getCause());
    }
    try (SearchClient asA = client(teamA)) {
      RuntimeException e =
          assertThrows(RuntimeException.class, () -> asA.submit(request("b", "forged")));
      assertTrue(
          causes(e).stream().anyMatch(TopicAuthorizationException.class::isInstance), e.toString());
    }
  }

  @Test
  void teamACannotJoinTheEvaluatorsGroup() {
    Properties p = props(teamA, Map.of(ConsumerConfig.GROUP_ID_CONFIG, EvaluatorService.GROUP));
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(Topics.forTeam("a").samples()));
      assertThrows(GroupAuthorizationException.class, () -> pollUntilFailure(consumer));
    }
  }

  @Test
  void everySchemaOfATeamsTopicsIsRegisteredAtTeamCreateAndTheTeamReadsTheLatest() {
    // Team b never ran a search: nothing was published on its topics.
    TeamSchemas.of("b")
        .forEach(
            (subject, schema) ->
                assertEquals(schema, registry(teamB).latest(subject).schema(), subject));
  }

  @Test
  void onlyTheServicesAndTheAdministratorRegisterSchemas() {
    Schema schema =
        SchemaBuilder.record("Forged")
            .namespace("org.fpnas.test")
            .fields()
            .requiredString("x")
            .endRecord();
    SchemaRegistryException refused =
        assertThrows(
            SchemaRegistryException.class,
            () -> registry(teamA).register("fpnas.a.searches-value", schema));
    assertEquals(403, refused.httpStatus());
    assertEquals(SchemaRegistryException.FORBIDDEN, refused.errorCode());
    assertEquals(
        403,
        assertThrows(
                SchemaRegistryException.class,
                () -> registry(teamA).register("fpnas.a.new-value", schema))
            .httpStatus());
    // A team finds the id of a schema the services registered (the lookup is a read).
    assertTrue(registry(teamA).register("fpnas.a.searches-value", SearchSpec.getClassSchema()) > 0);

    SchemaRegistryException anonymous =
        assertThrows(
            SchemaRegistryException.class,
            () ->
                new SchemaRegistryClient(infra.schemaRegistryUrl())
                    .latest("fpnas.a.searches-value"));
    assertEquals(401, anonymous.httpStatus());
    assertEquals(SchemaRegistryException.UNAUTHORIZED, anonymous.errorCode());
    assertEquals(
        401,
        assertThrows(
                SchemaRegistryException.class,
                () ->
                    new SchemaRegistryClient(infra.schemaRegistryUrl())
                        .basicAuth(teamA.user(), "wrong")
                        .latest("fpnas.a.searches-value"))
            .httpStatus());
    assertTrue(
        registry(infra.servicesCredentials()).register("fpnas.a.services-value", schema) > 0);
  }

  @Test
  void teamListShowsSettingsAclsAndQuotasAndDeleteRemovesAccess() {
    String[] asAdmin = {
      "--bootstrap-servers",
      bootstrap,
      "--schema-registry",
      infra.schemaRegistryUrl(),
      "--client-config",
      adminConfig.toString()
    };
    Run created =
        fpnas(
            "team",
            append(
                new String[] {
                  "create", "gone", "--credentials-dir", dir.resolve("cred").toString()
                },
                asAdmin));
    assertEquals(0, created.code(), created.err());
    Path goneConfig = dir.resolve("cred").resolve("team-gone.properties");
    ScramCredentials gone =
        ScramCredentials.ofUserInfo(read(goneConfig).getProperty("basic.auth.user.info"));
    assertTrue(created.out().contains(gone.password()), "the password is shown once");

    Run list = fpnas("team", append(new String[] {"list"}, asAdmin));
    assertEquals(0, list.code(), list.err());
    String rowA = list.out().lines().filter(l -> l.startsWith("a ")).findFirst().orElseThrow();
    assertTrue(
        rowA.matches("a\\s+User:team-a\\s+2\\s+none\\s+none\\s+10485760\\s+10485760\\s+3"), rowA);
    assertTrue(
        list.out().lines().anyMatch(l -> l.matches("gone\\s+User:team-gone\\s+1\\s+.*\\s3")),
        list.out());

    Run deleted =
        fpnas("team", append(new String[] {"delete", "gone", "--delete-history"}, asAdmin));
    assertEquals(0, deleted.code(), deleted.err());
    awaitLoginRefused(gone);
    assertFalse(fpnas("team", append(new String[] {"list"}, asAdmin)).out().contains("gone"));
    assertFalse(
        TeamSettingsTopic.read(bootstrap, infra.servicesCredentials().clientProperties())
            .containsKey("gone"));
  }

  private void awaitLoginRefused(ScramCredentials credentials) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      try (Admin admin =
          Admin.create(
              props(
                  credentials,
                  Map.of(
                      AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                      "5000",
                      AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                      "5000")))) {
        admin.describeCluster().clusterId().get(5, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof SaslAuthenticationException) {
          return;
        }
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      assertTrue(
          System.nanoTime() < deadline, credentials.user() + " can still log in after team delete");
    }
  }

  /** A Kafka Streams internal topic of the controller, which only the services may touch. */
  private String internalTopic() {
    try (Admin admin = Admin.create(props(infra.adminCredentials(), Map.of()))) {
      return admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
          .filter(t -> t.startsWith(ControllerService.AGGREGATOR_ID + "-"))
          .findFirst()
          .orElseThrow();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private void readOne(ScramCredentials who, String topic) {
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            props(who, Map.of()), new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(List.of(new TopicPartition(topic, 0)));
      consumer.seekToBeginning(List.of(new TopicPartition(topic, 0)));
      pollUntilFailure(consumer);
    }
  }

  /** Polls for at most 20 s; the refusal surfaces as an exception from poll. */
  private static void pollUntilFailure(KafkaConsumer<String, byte[]> consumer) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      consumer.poll(Duration.ofMillis(200));
    }
    throw new AssertionError("no error within 20 s: the broker let the consumer through");
  }

  private Properties props(ScramCredentials who, Map<String, String> extra) {
    Properties p = new Properties();
    p.putAll(who.clientProperties());
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.putAll(extra);
    return p;
  }

  private SearchClient client(ScramCredentials who) {
    SearchClient client = new SearchClient(bootstrap, registry(who));
    who.clientProperties().forEach(client::clientProperty);
    return client;
  }

  private SchemaRegistryClient registry(ScramCredentials who) {
    return new SchemaRegistryClient(infra.schemaRegistryUrl())
        .basicAuth(who.user(), who.password());
  }

  private static SearchRequest request(String team, String id) {
    return new SearchRequest("small-space.yaml", TextFiles.example("small-space.yaml"))
        .landscape(TextFiles.example("small-landscape.yaml"))
        .team(team)
        .searchId(id + "-" + System.nanoTime())
        .setAll(Map.of("maxIterations", "6", "fixedK", "4", "kMin", "2", "learningRate", "0.1"));
  }

  private record Run(int code, String out, String err) {}

  private static Run fpnas(String command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 1];
    all[0] = command;
    System.arraycopy(args, 0, all, 1, args.length);
    int code = cl.execute(all);
    return new Run(code, out.toString(), err.toString());
  }

  private static String[] append(String[] first, String... more) {
    List<String> all = new ArrayList<>(List.of(first));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  private static List<Throwable> causes(Throwable e) {
    List<Throwable> out = new ArrayList<>();
    for (Throwable t = e; t != null && !out.contains(t); t = t.getCause()) {
      out.add(t);
    }
    return out;
  }

  private static Properties read(Path file) {
    Properties p = new Properties();
    try (var r = Files.newBufferedReader(file)) {
      p.load(r);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return p;
  }
}
