package org.fpnas.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, end to end with its own embedded broker (a child process), on a small budget. */
class DemoIT {
  @TempDir
  Path dir;

  @Test
  void theDemoRunsASearchAndWritesItsResult() throws Exception {
    Path result = dir.resolve("result.json");
    int code = Main.run("demo", "--data-dir", dir.resolve("data").toString(), "--set", "maxIterations=12",
        "--output", result.toString());
    assertEquals(0, code);
    JsonNode json = new ObjectMapper().readTree(Files.readString(result));
    assertEquals(12, json.get("iterations").asInt());
    assertEquals("done", json.get("state").asText());
    assertTrue(json.get("samplesEvaluated").asLong() > 0);
    assertTrue(json.get("finalProbability").asDouble() > 0);
    assertTrue(json.get("finalCost").isNumber());
    assertTrue(json.get("finalArchitecture").size() > 0);
    assertEquals(13, json.get("perIteration").size());
    for (JsonNode it : json.get("perIteration")) {
      for (String field : new String[] {"entropy", "sampleCount", "phase", "meanLogLikelihood", "expectedCost"}) {
        assertTrue(it.has(field), field);
      }
    }
  }

  @Test
  void aBadSettingFailsBeforeAnythingStarts() {
    int code = Main.run("demo", "--data-dir", dir.resolve("bad").toString(), "--set", "learningRate=fast");
    assertEquals(2, code);
    assertTrue(!Files.exists(dir.resolve("bad").resolve("infra")), "nothing was started");
  }
}
