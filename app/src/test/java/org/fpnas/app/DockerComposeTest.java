package org.fpnas.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.fpnas.embedded.EmbeddedInfra;
import org.fpnas.embedded.KafkaBroker;
import org.fpnas.tls.LocalCertificateAuthority;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Docker does not run on our machines, so the compose file is checked against the CLI instead. */
class DockerComposeTest {
  /** The environment variables that fpnas reads. */
  private static final Set<String> FPNAS_ENVIRONMENT =
      Set.of("FPNAS_BOOTSTRAP_SERVERS", "FPNAS_SCHEMA_REGISTRY");

  @Test
  void everyFpnasServiceRunsACommandTheCliAccepts() throws Exception {
    JsonNode compose =
        new ObjectMapper(new YAMLFactory())
            .readTree(Files.readString(Path.of("../docker-compose.yml")));
    JsonNode services = compose.get("services");
    List<String> checked = new ArrayList<>();
    for (var service : services.properties()) {
      if (!service.getValue().path("image").asText().startsWith("fpnas")) {
        continue;
      }
      List<String> args = new ArrayList<>();
      service.getValue().get("command").forEach(a -> args.add(a.asText()));
      CommandLine cl = Main.commandLine();
      CommandLine.ParseResult parsed = cl.parseArgs(args.toArray(String[]::new));
      assertTrue(parsed.hasSubcommand(), service.getKey() + " runs a subcommand");
      service
          .getValue()
          .path("environment")
          .fieldNames()
          .forEachRemaining(
              name ->
                  assertTrue(
                      FPNAS_ENVIRONMENT.contains(name),
                      service.getKey() + ": fpnas does not read " + name));
      checked.add(service.getKey() + ":" + parsed.subcommand().commandSpec().name());
    }
    assertEquals(
        List.of(
            "controller:controller",
            "evaluator:evaluator",
            "dashboard:dashboard",
            "infra-secure:infra",
            "controller-secure:controller",
            "evaluator-secure:evaluator",
            "dashboard-secure:dashboard"),
        checked);
  }

  @Test
  void theSecureProfileRunsEveryServiceOverTlsWithTheFilesTheInfrastructureWrites()
      throws Exception {
    JsonNode services =
        new ObjectMapper(new YAMLFactory())
            .readTree(Files.readString(Path.of("../docker-compose.yml")))
            .path("services");
    for (String plain :
        List.of("kafka", "schema-registry", "controller", "evaluator", "dashboard")) {
      assertFalse(services.path(plain).has("profiles"), plain + " runs without a profile");
    }
    JsonNode infra = services.path("infra-secure");
    assertEquals("secure", infra.path("profiles").path(0).asText());
    List<String> infraArgs = args(infra);
    assertTrue(infraArgs.containsAll(List.of("infra", "--secure", "--tls")), infraArgs.toString());
    String dataDir = infraArgs.get(infraArgs.indexOf("--data-dir") + 1);
    String volume = volumeAt(infra, dataDir);
    Path credentials = Path.of(dataDir, "credentials");
    for (String name : List.of("controller-secure", "evaluator-secure", "dashboard-secure")) {
      JsonNode service = services.path(name);
      assertEquals("secure", service.path("profiles").path(0).asText(), name);
      // The broker and registry listen on localhost, which their certificate names.
      assertEquals("service:infra-secure", service.path("network_mode").asText(), name);
      assertEquals(
          "service_healthy",
          service.path("depends_on").path("infra-secure").path("condition").asText(),
          name);
      assertEquals(volume, volumeAt(service, dataDir), name + " mounts the infrastructure's data");
      List<String> args = args(service);
      assertTrue(
          args.get(args.indexOf("--schema-registry") + 1).startsWith("https://localhost:"), name);
      Path config = Path.of(args.get(args.indexOf("--client-config") + 1));
      assertEquals(credentials, config.getParent(), name);
      assertTrue(
          List.of(
                  EmbeddedInfra.SERVICES_USER + ".properties",
                  KafkaBroker.ADMIN_USER + ".properties")
              .contains(config.getFileName().toString()),
          name + " uses a file that infra --secure writes: " + config);
    }
    List<String> dashboard = args(services.path("dashboard-secure"));
    Path tls = Path.of(dataDir, "tls");
    assertEquals(
        tls.resolve(LocalCertificateAuthority.SERVER).toString(),
        dashboard.get(dashboard.indexOf("--tls-certificate") + 1));
    assertEquals(
        tls.resolve(LocalCertificateAuthority.SERVER_KEY).toString(),
        dashboard.get(dashboard.indexOf("--tls-key") + 1));
    String port = dashboard.get(dashboard.indexOf("--port") + 1);
    List<String> published = new ArrayList<>();
    infra.path("ports").forEach(p -> published.add(p.asText()));
    assertEquals(List.of(port + ":" + port), published, "only the dashboard is published");
  }

  private static List<String> args(JsonNode service) {
    List<String> args = new ArrayList<>();
    service.path("command").forEach(a -> args.add(a.asText()));
    return args;
  }

  /** The named volume mounted at the directory. */
  private static String volumeAt(JsonNode service, String dir) {
    for (JsonNode v : service.path("volumes")) {
      String[] parts = v.asText().split(":");
      if (parts[1].equals(dir)) {
        return parts[0];
      }
    }
    throw new AssertionError("nothing mounted at " + dir + ": " + service.path("volumes"));
  }

  @Test
  void theEnvironmentVariablesAreTheOnesTheOptionsDefaultTo() throws Exception {
    String options = Files.readString(Path.of("src/main/java/org/fpnas/app/ClusterOptions.java"));
    for (String name : FPNAS_ENVIRONMENT) {
      assertTrue(options.contains("${env:" + name), name + " is read by ClusterOptions");
    }
  }

  @Test
  void prometheusScrapesEveryFpnasServiceWhereItServesItsMetrics() throws Exception {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    JsonNode services =
        yaml.readTree(Files.readString(Path.of("../docker-compose.yml"))).path("services");
    JsonNode prometheus =
        yaml.readTree(Files.readString(Path.of("../deploy/prometheus/prometheus.yml")));
    List<String> targets = new ArrayList<>();
    for (JsonNode job : prometheus.path("scrape_configs")) {
      job.path("static_configs")
          .forEach(c -> c.path("targets").forEach(t -> targets.add(t.asText())));
      job.path("dns_sd_configs")
          .forEach(
              c ->
                  c.path("names")
                      .forEach(n -> targets.add(n.asText() + ":" + c.path("port").asInt())));
    }
    for (String service : List.of("controller", "evaluator", "dashboard")) {
      List<String> args = new ArrayList<>();
      services.path(service).path("command").forEach(a -> args.add(a.asText()));
      String port =
          args.get(args.indexOf(service.equals("dashboard") ? "--port" : "--metrics-port") + 1);
      String host =
          args.get(args.indexOf(service.equals("dashboard") ? "--host" : "--metrics-host") + 1);
      assertEquals("0.0.0.0", host, service + " listens where Prometheus reaches it");
      assertTrue(
          targets.contains(service + ":" + port), service + ":" + port + " is scraped: " + targets);
    }
  }

  @Test
  void theGrafanaDashboardUsesOnlyMetricsTheReadmeLists() throws Exception {
    String dashboard = Files.readString(Path.of("../deploy/grafana/dashboards/fpnas.json"));
    new ObjectMapper().readTree(dashboard); // valid JSON
    String readme = Files.readString(Path.of("../docs/operations.md"));
    var names = java.util.regex.Pattern.compile("fpnas_[a-z_]+").matcher(dashboard);
    int seen = 0;
    while (names.find()) {
      String name = names.group().replaceAll("_(bucket|total|count|sum)$", "");
      assertTrue(
          readme.contains("`" + name), name + " is in the metrics list of docs/operations.md");
      seen++;
    }
    assertTrue(seen >= 8, "the dashboard shows fpnas's own metrics");
  }

  @Test
  void theEvaluatorServiceCanBeScaled() throws Exception {
    JsonNode evaluator =
        new ObjectMapper(new YAMLFactory())
            .readTree(Files.readString(Path.of("../docker-compose.yml")))
            .path("services")
            .path("evaluator");
    // A fixed container name or host port would stop `--scale evaluator=N`.
    assertFalse(evaluator.has("container_name"));
    assertFalse(evaluator.has("ports"));
  }

  @Test
  void scaledDjlEvaluatorsShareTheirCheckpointDirectoryThroughANamedVolume() throws Exception {
    JsonNode compose =
        new ObjectMapper(new YAMLFactory())
            .readTree(Files.readString(Path.of("../docker-compose.yml")));
    JsonNode evaluator = compose.path("services").path("evaluator");
    List<String> args = new ArrayList<>();
    evaluator.get("command").forEach(a -> args.add(a.asText()));
    String dir = args.get(args.indexOf("--checkpoint-dir") + 1);
    List<String> volumes = new ArrayList<>();
    evaluator.path("volumes").forEach(v -> volumes.add(v.asText()));
    String mount =
        volumes.stream()
            .filter(v -> v.endsWith(":" + dir))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no volume mounted at " + dir + ": " + volumes));
    assertTrue(
        compose.path("volumes").has(mount.substring(0, mount.indexOf(':'))),
        "a named volume: " + mount);
  }
}
