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
  private static final Set<String> FPNAS_ENVIRONMENT = Set.of("FPNAS_BOOTSTRAP_SERVERS", "FPNAS_SCHEMA_REGISTRY");

  @Test
  void everyFpnasServiceRunsACommandTheCliAccepts() throws Exception {
    JsonNode compose = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(Path.of("../docker-compose.yml")));
    JsonNode services = compose.get("services");
    List<String> checked = new ArrayList<>();
    for (var it = services.fields(); it.hasNext(); ) {
      var service = it.next();
      if (!service.getValue().path("image").asText().startsWith("fpnas")) {
        continue;
      }
      List<String> args = new ArrayList<>();
      service.getValue().get("command").forEach(a -> args.add(a.asText()));
      CommandLine cl = Main.commandLine();
      CommandLine.ParseResult parsed = cl.parseArgs(args.toArray(String[]::new));
      assertTrue(parsed.hasSubcommand(), service.getKey() + " runs a subcommand");
      service.getValue().path("environment").fieldNames().forEachRemaining(name ->
          assertTrue(FPNAS_ENVIRONMENT.contains(name), service.getKey() + ": fpnas does not read " + name));
      checked.add(service.getKey() + ":" + parsed.subcommand().commandSpec().name());
    }
    assertEquals(List.of("controller:controller", "evaluator:evaluator"), checked);
  }

  @Test
  void theEnvironmentVariablesAreTheOnesTheOptionsDefaultTo() throws Exception {
    String options = Files.readString(Path.of("src/main/java/org/fpnas/app/ClusterOptions.java"));
    for (String name : FPNAS_ENVIRONMENT) {
      assertTrue(options.contains("${env:" + name), name + " is read by ClusterOptions");
    }
  }

  @Test
  void theEvaluatorServiceCanBeScaled() throws Exception {
    JsonNode evaluator = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(Path.of("../docker-compose.yml")))
        .path("services").path("evaluator");
    // A fixed container name or host port would stop `--scale evaluator=N`.
    assertFalse(evaluator.has("container_name"));
    assertFalse(evaluator.has("ports"));
  }

  @Test
  void scaledDjlEvaluatorsShareTheirCheckpointDirectoryThroughANamedVolume() throws Exception {
    JsonNode compose = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(Path.of("../docker-compose.yml")));
    JsonNode evaluator = compose.path("services").path("evaluator");
    List<String> args = new ArrayList<>();
    evaluator.get("command").forEach(a -> args.add(a.asText()));
    String dir = args.get(args.indexOf("--checkpoint-dir") + 1);
    List<String> volumes = new ArrayList<>();
    evaluator.path("volumes").forEach(v -> volumes.add(v.asText()));
    String mount = volumes.stream().filter(v -> v.endsWith(":" + dir)).findFirst()
        .orElseThrow(() -> new AssertionError("no volume mounted at " + dir + ": " + volumes));
    assertTrue(compose.path("volumes").has(mount.substring(0, mount.indexOf(':'))), "a named volume: " + mount);
  }
}
