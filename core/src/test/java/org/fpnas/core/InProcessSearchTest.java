package org.fpnas.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The in-process loop finds the known best architecture of the example landscape (which has
 * interactions that move the best away from the per-choice favourites) with FD only, JD only
 * and coarse-to-fine, each with adaptive and with fixed K. The settings were checked on 30
 * seeds each (30 of 30 found the best); the tests use one seed.
 */
class InProcessSearchTest {
  private final SearchSpace space = Examples.smallSpace();
  private final Landscape landscape = Examples.smallLandscape();

  private SearchResult search(String... settings) {
    Hyperparameters hp = Hyperparameters.defaults().with("seed", "3");
    for (int i = 0; i < settings.length; i += 2) {
      hp = hp.with(settings[i], settings[i + 1]);
    }
    return new InProcessSearch(space, hp, landscape.asScorer()).run();
  }

  private void assertFindsTheBest(SearchResult result) {
    assertEquals(landscape.best(), result.architecture(),
        () -> "regret " + landscape.regret(result.architecture()));
    assertTrue(result.probability() > 0.5, "p(best) " + result.probability());
  }

  @Test
  void factorizedOnlyAdaptiveK() {
    SearchResult result = search("learningRate", "0.05", "maxIterations", "200",
        "factorizedIterations", "1000", "lambda", "0.6", "kMin", "4");
    assertFindsTheBest(result);
    assertEquals(Phase.FACTORIZED, result.finalState().distribution().phase());
    // K really adapted: 12 at the start (ceil(0.6 * 19.07)), kMin at the end.
    assertEquals(12, result.states().get(0).sampleCount());
    assertEquals(4, result.finalState().sampleCount());
  }

  @Test
  void factorizedOnlyFixedK() {
    assertFindsTheBest(search("learningRate", "0.05", "maxIterations", "200",
        "factorizedIterations", "1000", "fixedK", "8"));
  }

  @Test
  void jointOnlyAdaptiveK() {
    SearchResult result = search("learningRate", "0.05", "maxIterations", "300",
        "factorizedIterations", "0", "lambda", "1.0", "kMin", "8");
    assertFindsTheBest(result);
    assertEquals(Phase.JOINT, result.states().get(0).distribution().phase());
  }

  @Test
  void jointOnlyFixedK() {
    assertFindsTheBest(search("learningRate", "0.05", "maxIterations", "300",
        "factorizedIterations", "0", "fixedK", "16"));
  }

  @Test
  void coarseToFineAdaptiveK() {
    SearchResult result = search("learningRate", "0.05", "maxIterations", "200",
        "factorizedIterations", "100", "lambda", "0.6", "kMin", "4");
    assertFindsTheBest(result);
    assertEquals(Phase.FACTORIZED, result.states().get(99).distribution().phase());
    assertEquals(Phase.JOINT, result.states().get(100).distribution().phase());
  }

  @Test
  void coarseToFineFixedK() {
    assertFindsTheBest(search("learningRate", "0.05", "maxIterations", "200",
        "factorizedIterations", "100", "fixedK", "8"));
  }

  @Test
  void theDocumentedDemoSettingsFindTheBest() {
    // README: learningRate 0.1, maxIterations 100, every other setting at its default.
    SearchResult result = new InProcessSearch(space, Hyperparameters.defaults()
        .with("learningRate", "0.1"), landscape.asScorer()).run();
    assertEquals(landscape.best(), result.architecture());
  }

  @Test
  void recordsTheTrajectoryAndCallsTheListener() {
    List<IterationOutcome> heard = new ArrayList<>();
    Hyperparameters hp = Hyperparameters.defaults().with("maxIterations", "5");
    SearchResult result = new InProcessSearch(space, hp, landscape.asScorer())
        .listener(heard::add).run();
    assertEquals(6, result.states().size());
    assertEquals(5, result.outcomes().size());
    assertEquals(heard, result.outcomes());
    assertEquals(0, result.states().get(0).iteration());
    assertEquals(5, result.finalState().iteration());
    long samples = 0;
    for (int t = 0; t < 5; t++) {
      samples += result.states().get(t).sampleCount();
    }
    assertEquals(samples, result.samplesEvaluated());
    assertEquals(result.finalState().distribution().mode(), result.architecture());
    assertEquals(result.finalState().distribution().probability(result.architecture()),
        result.probability());
    assertEquals("max-iterations", result.finalState().stopReason());
  }

  @Test
  void runFromContinuesAStateExactly() {
    Hyperparameters hp = Hyperparameters.defaults().with("maxIterations", "12")
        .with("factorizedIterations", "6").with("learningRate", "0.1");
    InProcessSearch search = new InProcessSearch(space, hp, landscape.asScorer());
    SearchResult whole = search.run();
    SearchResult resumed = search.runFrom(whole.states().get(4));
    assertEquals(whole.finalState(), resumed.finalState());
    assertEquals(whole.outcomes().subList(4, 12), resumed.outcomes());
  }
}
