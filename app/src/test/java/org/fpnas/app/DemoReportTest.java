package org.fpnas.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's parts that need no broker: the answer in words, the remembered search, the hint. */
class DemoReportTest {
  @TempDir Path dir;

  @Test
  void theAnswerIsPrintedWithTheTabularReference() throws Exception {
    ObjectNode result =
        (ObjectNode)
            new ObjectMapper()
                .readTree(
                    """
                    {"searchId": "s-1", "finalArchitectureString": "3|1",
                     "finalArchitecture": {"e0": {"op": "conv"}, "e1": {"op": "skip"}},
                     "finalProbability": 0.25, "finalCost": 1.5, "samplesEvaluated": 48,
                     "finalHeldOut": 94.36, "finalRank": 3,
                     "tabular": {"heldOutMetric": "test accuracy", "architectures": 15625,
                                 "optimum": 94.37,
                                 "randomSearch": {"queries": 48, "meanHeldOut": 94.0,
                                                  "sdHeldOut": 0.25, "meanRank": 81, "runs": 100}}}
                    """);
    StringWriter text = new StringWriter();
    DemoReport.print(new PrintWriter(text), result, 2, "MAX_ITERATIONS");
    assertEquals(
        """

        Search s-1 finished after 2 iterations (MAX_ITERATIONS).
        Found architecture: 3|1
          e0: {"op":"conv"}
          e1: {"op":"skip"}
        Probability 0.2500, cost 1.5, samples evaluated 48
        test accuracy of the answer: 94.36, rank 3 of 15625 (optimum 94.37)
        Random search with the same 48 queries: 94.00 ± 0.25 (mean rank 81, 100 runs)
        """,
        text.toString().replace(System.lineSeparator(), "\n"));
  }

  @Test
  void theDataDirRemembersTheSearchAndOnlyARunningOneResumes() throws Exception {
    Path file = dir.resolve("data").resolve(DemoSearch.ID_FILE);
    assertEquals(Optional.empty(), DemoSearch.rememberedId(file));
    DemoSearch.remember(file, "s-42");
    assertEquals(Optional.of("s-42"), DemoSearch.rememberedId(file));
    Files.writeString(file, " s-43\n");
    assertEquals(Optional.of("s-43"), DemoSearch.rememberedId(file));
    assertTrue(DemoSearch.resumable("running"));
    assertTrue(!DemoSearch.resumable("done") && !DemoSearch.resumable("cancelled"));
  }

  @Test
  void theHintOpensTheDemosDataDirWithInfra() {
    assertEquals("fpnas infra --data-dir " + dir, DemoCluster.reopenCommand(dir, false, false));
    assertEquals(
        "fpnas infra --secure --data-dir " + dir, DemoCluster.reopenCommand(dir, true, false));
    assertEquals(
        "fpnas infra --secure --tls --data-dir " + dir, DemoCluster.reopenCommand(dir, true, true));
  }
}
