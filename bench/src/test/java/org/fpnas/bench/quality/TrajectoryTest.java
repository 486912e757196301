package org.fpnas.bench.quality;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.fpnas.bench.SyntheticSpaces;
import org.fpnas.core.Hyperparameters;
import org.fpnas.core.landscape.Landscape;
import org.fpnas.core.space.SearchSpace;
import org.junit.jupiter.api.Test;

class TrajectoryTest {
  // Updates of 16, 16, 8, 8, 8 samples; the mode reaches the target at update 2, loses it at 3, and
  // holds it from update 4 on.
  private final Trajectory t =
      new Trajectory(
          new int[] {16, 16, 8, 8, 8},
          new double[] {3, 0.2, 1.5, 0.4, 0.0},
          new long[] {1_000_000, 2_000_000, 3_000_000, 4_000_000, 5_000_000});

  @Test
  void theTargetCountsFromTheUpdateAfterWhichItHeldUntilTheBudgetEnds() {
    Trajectory.Outcome o = t.within(1000, 0.5);
    assertTrue(o.reached());
    assertEquals(4, o.iterationsToTarget());
    assertEquals(16 + 16 + 8 + 8, o.samplesToTarget());
    assertEquals(4.0, o.computeMsToTarget());
    assertEquals(0.0, o.finalRegret());
    assertEquals(56, o.samples());
  }

  @Test
  void theBudgetCutsTheSearchWhereItsSamplesRunOut() {
    Trajectory.Outcome o = t.within(40, 0.5);
    assertArrayEquals(new int[] {16, 16, 8}, o.sampleCounts());
    assertEquals(1.5, o.finalRegret());
    assertFalse(o.reached(), "the target was lost again before the budget ended");
    assertEquals(Double.POSITIVE_INFINITY, o.samplesToTarget());
    assertEquals(Double.POSITIVE_INFINITY, o.modelMsToTarget(8, 100));
  }

  @Test
  void aTargetHitJustBeforeTheBudgetEndsCounts() {
    Trajectory.Outcome o = t.within(32, 0.5);
    assertEquals(2, o.iterationsToTarget());
    assertEquals(32.0, o.samplesToTarget());
    assertEquals(2 * 100.0 + 2 * 100.0, o.modelMsToTarget(8, 100));
    assertEquals(16.0, o.meanK());
  }

  @Test
  void aBudgetBelowTheFirstUpdateIsAnError() {
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> t.within(10, 0.5))
            .getMessage()
            .contains("does not cover the first update"));
  }

  @Test
  void aRecordedSearchHasOneEntryPerUpdate() {
    SearchSpace space = SyntheticSpaces.uniform("tiny", 3, 3, 2);
    Landscape landscape = Landscape.random(space, 1, 0.1, 0.1);
    Trajectory run =
        Trajectory.run(
            space,
            Hyperparameters.fromMap(
                Map.of("maxIterations", "30", "fixedK", "8", "learningRate", "0.1")),
            landscape);
    assertEquals(30, run.updates());
    Trajectory.Outcome o = run.within(Long.MAX_VALUE, Double.POSITIVE_INFINITY);
    assertEquals(1, o.iterationsToTarget(), "an infinite target holds from the first update");
    assertEquals(240, o.samples());
  }

  @Test
  void aRecordedSearchKeepsTheRegretUnderTheDistributionTheWeightsAndTheSwitch() {
    SearchSpace space = SyntheticSpaces.uniform("pairs", 2, 3, 2, 4);
    Landscape landscape = Landscape.deceptive(space, 3, 8.0, 0.5);
    Hyperparameters hp =
        Hyperparameters.fromMap(
            Map.of("maxIterations", "20", "fixedK", "8", "factorizedIterations", "12"));
    Trajectory run = Trajectory.run(space, hp, landscape);
    assertEquals(12, run.jointFrom(), "joint after the update that reached iteration 12");
    org.fpnas.core.SearchResult result =
        new org.fpnas.core.InProcessSearch(space, hp, landscape.asScorer()).run();
    Trajectory.Outcome o = run.whole(0.5);
    assertEquals(
        landscape.expectedRegret(result.finalState().distribution()), o.finalExpectedRegret());
    assertTrue(o.meanEffectiveSampleSize() > 1 && o.meanEffectiveSampleSize() < 8);
    assertEquals(
        -1, Trajectory.run(space, hp.with("factorizedIterations", "21"), landscape).jointFrom());
    assertEquals(
        0, Trajectory.run(space, hp.with("factorizedIterations", "0"), landscape).jointFrom());
  }
}
