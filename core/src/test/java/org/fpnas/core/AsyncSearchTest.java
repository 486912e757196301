package org.fpnas.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.fpnas.core.landscape.Landscape;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.SearchSpace;
import org.junit.jupiter.api.Test;

/**
 * The asynchronous schedule's driver: deterministic, never an idle evaluator, an update every K
 * results, stale results used or dropped as asked, and it finds the example landscape's best.
 */
class AsyncSearchTest {
  private final SearchSpace space = Examples.smallSpace();
  private final Landscape landscape = Examples.smallLandscape();

  /** Evaluation times that differ by architecture, so results finish out of draw order. */
  private static final ToDoubleFunction<Architecture> TIMES =
      a -> 1 + a.choice(0, 0) + 0.5 * a.choice(1, 1) + 0.25 * a.choice(2, 2);

  private AsyncSearch search(int workers, String... settings) {
    Hyperparameters hp = Hyperparameters.defaults().with("seed", "3");
    for (int i = 0; i < settings.length; i += 2) {
      hp = hp.with(settings[i], settings[i + 1]);
    }
    return new AsyncSearch(new FpNas(space, hp), landscape.asScorer(), TIMES, workers);
  }

  @Test
  void sameSettingsSameTimesSameRunBitForBit() {
    List<AsyncSearch.Update> one = new ArrayList<>();
    List<AsyncSearch.Update> two = new ArrayList<>();
    AsyncSearch.Result a = search(8, "maxIterations", "40").listener(one::add).run(10_000);
    AsyncSearch.Result b = search(8, "maxIterations", "40").listener(two::add).run(10_000);
    assertEquals(a.state(), b.state());
    assertEquals(one.size(), two.size());
    for (int i = 0; i < one.size(); i++) {
      assertEquals(one.get(i).outcome().next(), two.get(i).outcome().next());
      assertEquals(one.get(i).time(), two.get(i).time());
    }
  }

  @Test
  void everyUpdateTakesKResultsAndNoEvaluatorWaits() {
    List<AsyncSearch.Update> updates = new ArrayList<>();
    AsyncSearch.Result result =
        search(16, "maxIterations", "30").listener(updates::add).run(100_000);
    assertEquals(30, updates.size());
    long used = 0;
    SearchState before = new FpNas(space, Hyperparameters.defaults()).initial();
    for (AsyncSearch.Update u : updates) {
      assertEquals(before.sampleCount(), u.staleness().length, "a batch is K of its distribution");
      used += u.staleness().length;
      before = u.outcome().next();
    }
    assertEquals(used, result.results());
    assertEquals(1.0, result.utilisation(16), 1e-12);
    // K fell with the entropy, so later updates came from fewer results.
    assertTrue(before.sampleCount() < updates.get(0).staleness().length);
  }

  @Test
  void staleResultsAreUsedOrDroppedAsAsked() {
    List<AsyncSearch.Update> free = new ArrayList<>();
    search(64, "maxIterations", "20").listener(free::add).run(100_000);
    int stalest =
        free.stream().flatMapToInt(u -> java.util.Arrays.stream(u.staleness())).max().orElseThrow();
    assertTrue(stalest > 0, "64 evaluators and K of 24 or less: some results are stale");
    List<AsyncSearch.Update> bounded = new ArrayList<>();
    AsyncSearch.Result result =
        search(64, "maxIterations", "20").maxStaleness(0).listener(bounded::add).run(100_000);
    assertTrue(result.dropped() > 0);
    for (AsyncSearch.Update u : bounded) {
      assertArrayEquals(new int[u.staleness().length], u.staleness());
    }
  }

  @Test
  void theFirstDrawsAreTheSearchsDrawsFromTheInitialDistribution() {
    FpNas fpNas = new FpNas(space, Hyperparameters.defaults().with("seed", "3"));
    List<Architecture> seen = new ArrayList<>();
    Scorer recording =
        (t, k, a) -> {
          seen.add(a);
          return landscape.asScorer().score(t, k, a);
        };
    SearchState initial = fpNas.initial();
    new AsyncSearch(fpNas, recording, a -> 1, 4).run(initial.sampleCount());
    // Equal times: results finish in draw order, and the first K come from the initial
    // distribution.
    assertEquals(initial.sampleCount(), seen.size());
    for (int n = 0; n < seen.size(); n++) {
      assertEquals(Sampler.drawn(initial.distribution(), 3, n), seen.get(n));
    }
  }

  @Test
  void findsTheLandscapesBestWithEightEvaluators() {
    AsyncSearch.Result result = search(8, "maxIterations", "100").run(100_000);
    assertEquals(landscape.best(), result.state().distribution().mode());
  }
}
