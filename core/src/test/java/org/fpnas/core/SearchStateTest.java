package org.fpnas.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fpnas.core.landscape.Landscape;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.SearchSpace;
import org.junit.jupiter.api.Test;

/** The named ways from one search state to another, and the checks of a restored one. */
class SearchStateTest {
  private final SearchSpace space = Examples.smallSpace();
  private final FpNas fpNas =
      new FpNas(space, Hyperparameters.fromMap(Map.of("learningRate", "0.1", "seed", "3")));

  /** A state after one real update, so that logits, moments and the mode counter are not zero. */
  private SearchState updated() {
    SearchState state = fpNas.initial();
    Landscape landscape = Examples.smallLandscape();
    List<Evaluation> evaluations = new ArrayList<>();
    for (int k = 0; k < state.sampleCount(); k++) {
      Architecture a = Sampler.sample(state.distribution(), 3, state.iteration(), k);
      evaluations.add(new Evaluation(k, a, landscape.logLikelihood(a, state.iteration(), k), 0));
    }
    return fpNas.update(state, evaluations).next();
  }

  @Test
  void aForkKeepsTheLearnedStateAndCountsTheModeAfresh() {
    SearchState parent = updated();
    SearchState fork = parent.forked(5);
    assertEquals(parent.distribution(), fork.distribution());
    assertArrayEquals(parent.firstMoment(), fork.firstMoment());
    assertArrayEquals(parent.secondMoment(), fork.secondMoment());
    assertEquals(parent.adamStep(), fork.adamStep());
    assertEquals(parent.iteration(), fork.iteration());
    assertEquals(5, fork.sampleCount());
    assertEquals(0, fork.modeStableIterations());
    assertFalse(fork.done());
  }

  @Test
  void anotherSampleCountChangesNothingElse() {
    SearchState state = updated();
    SearchState other = state.withSampleCount(state.sampleCount() + 1);
    assertEquals(state.sampleCount() + 1, other.sampleCount());
    assertEquals(state, other.withSampleCount(state.sampleCount()));
  }

  @Test
  void carryingForwardMovesOneIterationAndStopsAtTheBudget() {
    SearchState state = updated();
    SearchState next = state.carriedForward(state.iteration() + 2);
    assertEquals(state.iteration() + 1, next.iteration());
    assertEquals(state.distribution(), next.distribution());
    assertEquals(state.sampleCount(), next.sampleCount());
    assertNull(next.stopReason());
    SearchState last = next.carriedForward(state.iteration() + 2);
    assertTrue(last.done());
    assertEquals(StopReason.MAX_ITERATIONS, last.stopReason());
  }

  @Test
  void aRestoredStateMustHoldTogether() {
    SearchState s = updated();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                SearchState.restore(
                    s.distribution(),
                    s.firstMoment(),
                    s.secondMoment(),
                    s.adamStep(),
                    s.iteration(),
                    0,
                    0,
                    false,
                    null));
    assertTrue(e.getMessage().contains("sampleCount"), e.getMessage());
  }
}
