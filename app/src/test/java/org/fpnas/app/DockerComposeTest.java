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
        List.of("controller:controller", "evaluator:evaluator", "dashboard:dashboard"), checked);
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
