package org.fpnas.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.fpnas.client.history.SearchHistory;
import org.fpnas.client.history.SearchLog;
import org.fpnas.embedded.EmbeddedInfra;
import org.fpnas.schemas.SchemaRegistryClient;
import org.fpnas.schemas.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The README's first command, end to end with its own embedded broker (a child process), on small
 * budgets.
 */
class DemoIT {
  @TempDir Path dir;

  @Test
  void theDefaultDemoSearchesFashionMnistWithDjlAndTrainsTheFoundArchitecture() throws Exception {
    Path result = dir.resolve("result.json");
    int code =
        Main.run(
            "demo",
            "--data-dir",
            dir.resolve("djl").toString(),
            "--set",
            "maxIterations=3",
            "--evaluator-set",
            "warmupSteps=10",
            "--evaluator-set",
            "trainSteps=2",
            "--final-training-images",
            "1024",
            "--output",
            result.toString());
    assertEquals(0, code);
    JsonNode json = new ObjectMapper().readTree(Files.readString(result));
    assertEquals(3, json.get("iterations").asInt());
    assertEquals("done", json.get("state").asText());
    assertEquals(24, json.get("samplesEvaluated").asLong(), "3 iterations of K = 8");
    JsonNode trained = json.get("finalTraining");
    JsonNode found = trained.get("found");
    JsonNode random = trained.get("random");
    assertEquals(json.get("finalArchitectureString").asText(), found.get("architecture").asText());
    assertEquals(
        json.get("finalCost").asDouble(),
        found.get("multiplyAdds").asDouble(),
        "the cost is the FLOPs");
    assertTrue(
        Math.abs(random.get("multiplyAdds").asDouble() / found.get("multiplyAdds").asDouble() - 1)
            <= 0.1,
        "the random baseline has similar FLOPs: " + trained);
    for (JsonNode r : new JsonNode[] {found, random}) {
      double accuracy = r.get("testAccuracy").asDouble();
      assertTrue(accuracy >= 0 && accuracy <= 1, "test accuracy " + accuracy);
      assertTrue(r.get("parameters").asLong() > 0);
      assertTrue(
          Files.isDirectory(Path.of(r.get("modelDir").asText())),
          "model saved in " + r.get("modelDir"));
    }
  }

  @Test
  void theBenchmarkDemoRunsASearchAndWritesItsResult() throws Exception {
    Path result = dir.resolve("result.json");
    StringWriter out = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out));
    int code =
        cli.execute(
            "demo",
            "--evaluator",
            "benchmark",
            "--data-dir",
            dir.resolve("data").toString(),
            "--set",
            "maxIterations=12",
            "--output",
            result.toString());
    assertEquals(0, code);
    assertTrue(
        out.toString()
            .matches(
                "(?s).*Kafka \\S+, schema registry \\S+\nDashboard http://127\\.0\\.0\\.1:\\d+/ .*"),
        "the dashboard's URL is printed next to the broker's: " + out);
    JsonNode json = new ObjectMapper().readTree(Files.readString(result));
    assertEquals(12, json.get("iterations").asInt());
    assertEquals("done", json.get("state").asText());
    assertTrue(json.get("samplesEvaluated").asLong() > 0);
    assertTrue(json.get("finalProbability").asDouble() > 0);
    assertTrue(json.get("finalCost").isNumber());
    assertTrue(json.get("finalArchitecture").size() > 0);
    assertFalse(json.has("finalTraining"), "no training with the benchmark evaluator");
    assertTrue(
        out.toString()
            .contains("To look at it again: fpnas infra --data-dir " + dir.resolve("data")),
        out.toString());
    assertEquals(13, json.get("perIteration").size());
    for (JsonNode it : json.get("perIteration")) {
      for (String field :
          new String[] {"entropy", "sampleCount", "phase", "meanLogLikelihood", "expectedCost"}) {
        assertTrue(it.has(field), field);
      }
    }
  }

  @Test
  void infraOnTheDemosDataDirServesTheDemosSearch() throws Exception {
    Path data = dir.resolve("data");
    int code =
        Main.run(
            "demo",
            "--evaluator",
            "benchmark",
            "--data-dir",
            data.toString(),
            "--set",
            "maxIterations=2");
    assertEquals(0, code);
    String searchId = Files.readString(data.resolve(DemoSearch.ID_FILE)).trim();
    // What fpnas infra --data-dir runs, on free ports.
    try (EmbeddedInfra infra = new EmbeddedInfra(data).kafkaPort(0).registryPort(0).start()) {
      SearchLog log =
          SearchHistory.read(
                  infra.bootstrapServers(),
                  new SchemaRegistryClient(infra.schemaRegistryUrl()),
                  Topics.DEFAULT_TEAM,
                  false,
                  Map.of())
              .search(searchId)
              .orElseThrow(() -> new AssertionError("the demo's search is not on the broker"));
      assertEquals("done", log.state());
    }
  }

  @Test
  void aBadSettingFailsBeforeAnythingStarts() {
    int code =
        Main.run("demo", "--data-dir", dir.resolve("bad").toString(), "--set", "learningRate=fast");
    assertEquals(2, code);
    assertFalse(Files.exists(dir.resolve("bad")), "nothing was started");
    code =
        Main.run(
            "demo",
            "--data-dir",
            dir.resolve("bad").toString(),
            "--evaluator-set",
            "trainSteps=many");
    assertEquals(2, code);
    assertFalse(Files.exists(dir.resolve("bad")), "nothing was started");
  }

  @Test
  void aMissingDataSetIsNamedBeforeAnythingStarts() {
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(err));
    int code =
        cli.execute(
            "demo",
            "--data-dir",
            dir.resolve("nodata").toString(),
            "--dataset-dir",
            dir.resolve("empty").toString());
    assertEquals(1, code);
    assertTrue(
        err.toString().contains("Fashion-MNIST is not in")
            && err.toString().contains("dataset-fashion-mnist"),
        err.toString());
    assertFalse(Files.exists(dir.resolve("nodata")), "nothing was started");
  }
}
