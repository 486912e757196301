package org.fpnas.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.fpnas.admin.AccessRules;
import org.fpnas.admin.ScramCredentials;
import org.fpnas.client.history.SearchWatcher;
import org.fpnas.controller.ControllerService;
import org.fpnas.dashboard.Dashboard;
import org.fpnas.embedded.EmbeddedInfra;
import org.fpnas.evaluator.EvaluatorService;
import org.fpnas.metrics.PrometheusEndpoint;
import org.fpnas.schemas.RegistryTrust;
import org.fpnas.schemas.SchemaRegistryClient;
import org.fpnas.schemas.SchemaRegistryException;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.tls.LocalCertificateAuthority;
import org.fpnas.tls.ServerCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A search over TLS end to end, on an embedded broker and registry started with TLS and security
 * (SASL_SSL, HTTPS with basic authentication): the controller and an evaluator as the services
 * principal, a team created, its search submitted and its status read through the CLI with the
 * client settings files the infrastructure and {@code team create} write, and shown by a dashboard
 * served over HTTPS. Plaintext clients get nowhere: neither on the broker's listener nor on the
 * registry, nor an HTTPS client that does not trust the local CA.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TlsIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void aSearchRunsToTheEndOverTlsAndPlaintextClientsAreRefused() throws Exception {
    try (EmbeddedInfra infra =
        new EmbeddedInfra(dir.resolve("infra"))
            .inProcess(true)
            .secure(true)
            .tls(true)
            .acls(AccessRules.bindings(AccessRules.services("User:" + EmbeddedInfra.SERVICES_USER)))
            .start()) {
      String bootstrap = infra.bootstrapServers();
      String registryUrl = infra.schemaRegistryUrl();
      assertTrue(registryUrl.startsWith("https://localhost:"), registryUrl);
      Path ca = dir.resolve("infra/tls").resolve(LocalCertificateAuthority.CA);
      Map<String, String> services = settings(infra.servicesClientConfig());
      assertEquals("SASL_SSL", services.get("security.protocol"));
      assertEquals(ca.toString(), services.get("ssl.truststore.location"));
      assertEquals(ca.toString(), services.get("schema.registry.ssl.truststore.location"));

      ScramCredentials servicesLogin = infra.servicesCredentials();
      ControllerService controller =
          new ControllerService(bootstrap, infra.registryClient(servicesLogin))
              .stateDir(dir.resolve("streams"));
      infra.clientProperties(servicesLogin).forEach(controller::property);
      EvaluatorService evaluators =
          new EvaluatorService(bootstrap, infra.registryClient(servicesLogin))
              .workers(1)
              .idPrefix("tls-it");
      infra.clientProperties(servicesLogin).forEach(evaluators::clientProperty);
      // The services take seconds to start: meanwhile the test checks the refusals and makes a
      // team.
      CompletableFuture<ControllerService> controllerStarted =
          CompletableFuture.supplyAsync(controller::start);
      CompletableFuture<EvaluatorService> evaluatorsStarted =
          CompletableFuture.supplyAsync(evaluators::start);
      try (AutoCloseable c = () -> controllerStarted.join().close();
          AutoCloseable e = () -> evaluatorsStarted.join().close()) {
        assertPlaintextIsRefused(infra, bootstrap, registryUrl);
        String[] cluster = {"--bootstrap-servers", bootstrap, "--schema-registry", registryUrl};
        Run created =
            fpnas(
                "team",
                cluster,
                "create",
                "t",
                "--credentials-dir",
                dir.resolve("teams").toString(),
                "--client-config",
                infra.adminClientConfig().toString());
        assertEquals(0, created.code(), created.err());
        Path teamConfig = dir.resolve("teams/team-t.properties");
        Map<String, String> team = settings(teamConfig);
        assertEquals("SASL_SSL", team.get("security.protocol"), "team create keeps the TLS");
        Path space =
            Files.writeString(dir.resolve("space.yaml"), TextFiles.example("small-space.yaml"));
        Path landscape =
            Files.writeString(
                dir.resolve("landscape.yaml"), TextFiles.example("small-landscape.yaml"));
        String[] asTeam = append(cluster, "--client-config", teamConfig.toString());
        controllerStarted.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        evaluatorsStarted.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        Run submitted =
            fpnas(
                "submit",
                asTeam,
                "--space",
                space.toString(),
                "--landscape",
                landscape.toString(),
                "--set",
                "maxIterations=4",
                "--set",
                "fixedK=3",
                "--set",
                "kMin=2");
        assertEquals(0, submitted.code(), submitted.err());
        String id = submitted.out().trim();

        Map<String, String> kafka = new TreeMap<>(team);
        kafka
            .keySet()
            .removeIf(k -> k.startsWith("schema.registry.") || k.startsWith("basic.auth."));
        SchemaRegistryClient registry =
            new SchemaRegistryClient(registryUrl)
                .trust(RegistryTrust.fromClientSettings(team).orElseThrow())
                .basicAuth(
                    "team-t",
                    ScramCredentials.ofUserInfo(team.get("basic.auth.user.info")).password());
        DistributionUpdate last =
            SearchWatcher.follow(bootstrap, registry, "t", id, kafka, u -> {}, TIMEOUT);
        assertTrue(last.getDone(), "the search ran to the end over TLS");
        Run status = fpnas("status", asTeam, id);
        assertEquals(0, status.code(), status.err());
        assertTrue(status.out().contains(id), status.out());
        assertTheDashboardShowsItOverHttps(ca, bootstrap, registry, kafka, id);
      }
    }
  }

  /** The team's dashboard, served over HTTPS with the infrastructure's certificate. */
  private void assertTheDashboardShowsItOverHttps(
      Path ca,
      String bootstrap,
      SchemaRegistryClient registry,
      Map<String, String> kafka,
      String id)
      throws Exception {
    ServerCertificate certificate =
        new ServerCertificate(
            ca.resolveSibling(LocalCertificateAuthority.SERVER),
            ca.resolveSibling(LocalCertificateAuthority.SERVER_KEY));
    try (PrometheusEndpoint metrics = PrometheusEndpoint.create();
        Dashboard dashboard =
            Dashboard.start(
                Dashboard.Settings.localhost(0).https(certificate.sslContext()),
                bootstrap,
                registry,
                kafka,
                metrics,
                Clock.systemUTC())) {
      assertEquals("https", dashboard.url().getScheme());
      HttpClient browser =
          HttpClient.newBuilder().sslContext(RegistryTrust.trustingPem(ca)).build();
      HttpRequest searches =
          HttpRequest.newBuilder(dashboard.url().resolve("api/searches")).build();
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      String body = browser.send(searches, HttpResponse.BodyHandlers.ofString()).body();
      while (!body.contains(id) && System.nanoTime() < deadline) {
        Thread.sleep(200);
        body = browser.send(searches, HttpResponse.BodyHandlers.ofString()).body();
      }
      assertTrue(body.contains(id), body);
    }
  }

  /**
   * A client without TLS cannot talk to the broker's listener, and neither plain HTTP nor HTTPS
   * without the local CA reaches the registry.
   */
  private void assertPlaintextIsRefused(EmbeddedInfra infra, String bootstrap, String registryUrl) {
    Properties plain = new Properties();
    plain.putAll(infra.servicesCredentials().clientProperties()); // SASL_PLAINTEXT
    plain.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    plain.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
    plain.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
    try (Admin admin = Admin.create(plain)) {
      assertThrows(
          ExecutionException.class,
          () -> admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS),
          "a SASL_PLAINTEXT client gets no answer from the SASL_SSL listener");
    }
    ScramCredentials services = infra.servicesCredentials();
    SchemaRegistryException overHttp =
        assertThrows(
            SchemaRegistryException.class,
            () ->
                new SchemaRegistryClient(registryUrl.replace("https://", "http://"))
                    .basicAuth(services.user(), services.password())
                    .latest("any"));
    assertEquals(-1, overHttp.httpStatus(), "no HTTP answer: " + overHttp);
    SchemaRegistryException untrusted =
        assertThrows(
            SchemaRegistryException.class,
            () ->
                new SchemaRegistryClient(registryUrl)
                    .basicAuth(services.user(), services.password())
                    .latest("any"));
    assertInstanceOf(SSLHandshakeException.class, untrusted.getCause(), untrusted.toString());
  }

  private static Map<String, String> settings(Path file) throws Exception {
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
      p.load(in);
    }
    Map<String, String> out = new TreeMap<>();
    p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
    return out;
  }

  private static String[] append(String[] first, String... more) {
    String[] all = new String[first.length + more.length];
    System.arraycopy(first, 0, all, 0, first.length);
    System.arraycopy(more, 0, all, first.length, more.length);
    return all;
  }

  private record Run(int code, String out, String err) {}

  private static Run fpnas(String command, String[] options, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    String[] all = append(append(new String[] {command}, args), options);
    int code = cl.execute(all);
    return new Run(code, out.toString(), err.toString());
  }
}
