package org.fpnas.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.tabular.TabularBenchmarks;
import org.fpnas.schemas.avro.SearchSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Submit-time checks of searches with the tabular evaluator: every problem before anything is
 * published.
 */
class TabularSpecsTest {
  private static final String NB201 = "nasbench201-cifar10";

  private static SearchRequest request(String spaceText) {
    return new SearchRequest("space.yaml", spaceText).evaluator("tabular");
  }

  private static String problem(SearchRequest request) {
    return assertThrows(IllegalArgumentException.class, () -> SearchSpecs.validate(request, 0L))
        .getMessage();
  }

  @Test
  void acceptsTheBenchmarksOwnSpace() {
    String space = TabularBenchmarks.get(NB201).space().toYaml();
    SearchSpec spec = SearchSpecs.validate(request(space).evaluatorSetting("benchmark", NB201), 0L);
    assertEquals(NB201, spec.getEvaluatorSettings().get("benchmark"));
  }

  @Test
  void refusesEachProblemByName() {
    String space = TabularBenchmarks.get(NB201).space().toYaml();
    assertTrue(problem(request(space)).contains("needs the setting benchmark=NAME"));
    assertTrue(
        problem(request(space).evaluatorSetting("benchmark", "nasbench101"))
            .contains("unknown benchmark 'nasbench101'"));
    assertTrue(
        problem(request(space).evaluatorSetting("benchmark", NB201).evaluatorSetting("seeds", "3"))
            .contains("unknown setting 'seeds' of the tabular evaluator"));
    assertTrue(
        problem(request(space).evaluatorSetting("benchmark", NB201).landscape("base: 0\n"))
            .contains("not a landscape"));
    assertTrue(
        problem(request(space).evaluatorSetting("benchmark", " "))
            .contains("needs the setting benchmark=NAME"));
    String macroSpace = TabularBenchmarks.get("nas-bench-macro-cifar10").space().toYaml();
    assertTrue(
        problem(request(macroSpace).evaluatorSetting("benchmark", NB201))
            .contains(
                "the search's space 'nas-bench-macro' is not the space of benchmark nasbench201-cifar10"));
  }

  @Test
  void refusesAPathNamingTheSettingWithoutReadingTheFile(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("benchmark.yaml"), "name: secret-content\n");
    String space = TabularBenchmarks.get(NB201).space().toYaml();
    // An IllegalArgumentException, not the TableFormatException that reading the file would raise.
    String problem = problem(request(space).evaluatorSetting("benchmark", file.toString()));
    assertTrue(problem.startsWith("evaluator setting benchmark: unknown benchmark"), problem);
    assertTrue(problem.contains("the evaluator operator's to configure"), problem);
    assertFalse(problem.contains("secret-content"), problem);
  }

  @Test
  void theReportReadsNoFileThatASpecNames(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("benchmark.yaml"), "name: secret-content\n");
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    TabularSearches.report(
        root, Map.of("benchmark", file.toString()), Architecture.parse("0.0.0.0.0.0"), 10);
    assertTrue(root.get("finalCost").isNull());
    assertFalse(root.has("tabular"));
  }
}
