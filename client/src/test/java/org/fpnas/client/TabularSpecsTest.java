package org.fpnas.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.fpnas.core.tabular.TabularBenchmarks;
import org.fpnas.schemas.avro.SearchSpec;
import org.junit.jupiter.api.Test;

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
    String macroSpace = TabularBenchmarks.get("nas-bench-macro-cifar10").space().toYaml();
    assertTrue(
        problem(request(macroSpace).evaluatorSetting("benchmark", NB201))
            .contains(
                "the search's space 'nas-bench-macro' is not the space of benchmark nasbench201-cifar10"));
  }
}
