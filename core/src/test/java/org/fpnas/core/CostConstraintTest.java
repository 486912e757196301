package org.fpnas.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.ToDoubleFunction;
import org.fpnas.core.mbconv.FlopsCounter;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.SearchSpace;
import org.junit.jupiter.api.Test;

/**
 * A known cost with a target: samples and answers never exceed it, the answer is the most likely
 * architecture within it, and a target no architecture meets is refused by name.
 */
class CostConstraintTest {
  private final SearchSpace tiny = Examples.tiny();

  /** A cost that grows with every choice index, so the cheapest architecture is all zeros. */
  private static final ToDoubleFunction<Architecture> COST =
      a -> {
        double c = 1;
        int[][] choices = a.choices();
        for (int l = 0; l < choices.length; l++) {
          for (int m = 0; m < choices[l].length; m++) {
            c += (l + 1) * choices[l][m] * (m + 2);
          }
        }
        return c;
      };

  @Test
  void samplesAndAnswersNeverExceedTheTargetAndTheAnswerIsTheMostLikelyWithinIt() {
    List<Architecture> all = Examples.all(tiny);
    for (Phase phase : Phase.values()) {
      for (int seed = 0; seed < 20; seed++) {
        Distribution d =
            Distribution.of(tiny, phase, Examples.randomLogits(tiny, phase, seed, 3.0), 0);
        double target = 1 + seed % 7;
        CostConstraint constraint = CostConstraint.of(tiny, COST, target);
        for (int k = 0; k < 50; k++) {
          Architecture a = constraint.sample(d, seed, 2, k);
          assertTrue(COST.applyAsDouble(a) <= target, a + " over " + target);
          assertEquals(a, constraint.sample(d, seed, 2, k), "a pure function of its inputs");
          Architecture free = Sampler.sample(d, seed, 2, k);
          if (COST.applyAsDouble(free) <= target) {
            assertEquals(free, a, "a first draw within the target is the sample");
          }
        }
        Architecture best = null;
        for (Architecture a : all) {
          if (COST.applyAsDouble(a) <= target
              && (best == null || d.logProbability(a) > d.logProbability(best))) {
            best = a;
          }
        }
        assertEquals(best, constraint.mode(d), phase + " seed " + seed);
      }
    }
  }

  @Test
  void aTargetNoArchitectureMeetsIsRefusedByName() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CostConstraint.of(tiny, COST, 0.5));
    assertTrue(e.getMessage().contains("costTarget 0.5"), e.getMessage());
    assertTrue(e.getMessage().contains("costs 1.0"), e.getMessage());
    Hyperparameters hp = Hyperparameters.defaults().with("costTarget", "0.5");
    assertThrows(IllegalArgumentException.class, () -> new FpNas(tiny, hp, COST));
  }

  @Test
  void aFlopsTargetKeepsTheWholeSearchWithinIt() {
    SearchSpace space = SearchSpace.parse(Examples.resource("fbnet-fmnist.yaml"), "fbnet");
    FlopsCounter counter = new FlopsCounter(space);
    double target = 600_000;
    Hyperparameters hp =
        Hyperparameters.defaults()
            .with("costModel", "flops")
            .with("costTarget", Double.toString(target))
            .with("maxIterations", "8")
            .with("seed", "4");
    FpNas fpNas = new FpNas(space, hp);
    Scorer byWidth = (t, k, a) -> new Scorer.Score(counter.count(a).multiplyAdds() / 1e5, 1.0);
    List<IterationOutcome> outcomes = new java.util.ArrayList<>();
    SearchResult result = new InProcessSearch(space, hp, byWidth).listener(outcomes::add).run();
    // The signal prefers the largest networks, the target forbids them.
    assertTrue(counter.count(result.architecture()).multiplyAdds() <= target);
    for (IterationOutcome o : outcomes) {
      assertTrue(counter.count(o.mode()).multiplyAdds() <= target);
    }
    SearchState state = fpNas.initial();
    for (Architecture a : fpNas.samples(state.distribution(), 0, 64)) {
      assertTrue(counter.count(a).multiplyAdds() <= target, a.toString());
    }
    // A space without a network section cannot be costed.
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new FpNas(tiny, Hyperparameters.defaults().with("costModel", "flops")));
    assertTrue(e.getMessage().contains("costModel flops"), e.getMessage());
  }
}
