package org.fpnas.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.List;
import org.fpnas.core.landscape.Landscape;
import org.fpnas.core.space.SearchSpace;
import org.junit.jupiter.api.Test;

/** Same seed and events give bit-identical states: the basis of replay. */
class ReproducibilityTest {
  private static long[][] bits(double[][] values) {
    long[][] out = new long[values.length][];
    for (int l = 0; l < values.length; l++) {
      out[l] = new long[values[l].length];
      for (int i = 0; i < values[l].length; i++) {
        out[l][i] = Double.doubleToRawLongBits(values[l][i]);
      }
    }
    return out;
  }

  private static List<SearchState> run(long seed) {
    SearchSpace space = Examples.smallSpace();
    Hyperparameters hp =
        Hyperparameters.defaults()
            .with("seed", String.valueOf(seed))
            .with("maxIterations", "500")
            .with("factorizedIterations", "250")
            .with("learningRate", "0.05")
            .with("beta", "0.2")
            .with("costTarget", "40")
            .with("weightDecay", "0.001");
    return new InProcessSearch(space, hp, Examples.smallLandscape().asScorer()).trajectory();
  }

  @Test
  void sameSeedAndEventsGiveBitIdenticalStatesAfter500Iterations() {
    List<SearchState> first = run(17);
    List<SearchState> second = run(17);
    assertEquals(501, first.size());
    SearchState a = first.get(500);
    SearchState b = second.get(500);
    assertArrayEquals(bits(a.distribution().logits()), bits(b.distribution().logits()));
    assertArrayEquals(bits(a.firstMoment()), bits(b.firstMoment()));
    assertArrayEquals(bits(a.secondMoment()), bits(b.secondMoment()));
    assertEquals(first, second);
  }

  @Test
  void anEntropyTriggeredSwitchWithCarriedAdamIsBitIdenticalToo() {
    SearchSpace space = SearchSpace.uniform("pairs", 3, 3, 2, 6);
    Landscape landscape = Landscape.deceptive(space, 4, 8.0, 0.5);
    Hyperparameters hp =
        Hyperparameters.defaults()
            .with("seed", "3")
            .with("maxIterations", "120")
            .with("factorizedIterations", "120")
            .with("switchEntropyFraction", "0.6")
            .with("adamAtSwitch", "carry");
    List<SearchState> first = new InProcessSearch(space, hp, landscape.asScorer()).trajectory();
    List<SearchState> second = new InProcessSearch(space, hp, landscape.asScorer()).trajectory();
    SearchState a = first.get(first.size() - 1);
    assertEquals(Phase.JOINT, a.distribution().phase(), "the entropy switched it");
    assertArrayEquals(
        bits(a.distribution().logits()), bits(second.get(120).distribution().logits()));
    assertArrayEquals(bits(a.secondMoment()), bits(second.get(120).secondMoment()));
    assertEquals(first, second);
  }

  @Test
  void replayingTheEventsThroughTheUpdateGivesTheSameStates() {
    SearchSpace space = Examples.smallSpace();
    Hyperparameters hp =
        Hyperparameters.defaults()
            .with("seed", "5")
            .with("maxIterations", "40")
            .with("factorizedIterations", "20")
            .with("learningRate", "0.1");
    Landscape landscape = Examples.smallLandscape();
    List<List<Evaluation>> events = new ArrayList<>();
    SearchResult original =
        new InProcessSearch(
                space,
                hp,
                (t, k, a) -> {
                  Scorer.Score score = landscape.asScorer().score(t, k, a);
                  while (events.size() <= t) {
                    events.add(new ArrayList<>());
                  }
                  events.get(t).add(new Evaluation(k, a, score.logLikelihood(), score.cost()));
                  return score;
                })
            .run();
    FpNas fpNas = new FpNas(space, hp);
    SearchState state = fpNas.initial();
    for (List<Evaluation> iteration : events) {
      List<Evaluation> reversed = new ArrayList<>(iteration);
      java.util.Collections.reverse(reversed); // events may arrive in any order
      state = fpNas.update(state, reversed).next();
    }
    assertEquals(original.finalState(), state);
  }

  @Test
  void differentSeedsGiveDifferentSamplesAndTrajectories() {
    SearchSpace space = Examples.smallSpace();
    Distribution d = Distribution.uniform(space, Phase.FACTORIZED);
    assertNotEquals(Sampler.samples(d, 17, 0, 8), Sampler.samples(d, 18, 0, 8));
    Hyperparameters hp = Hyperparameters.defaults().with("maxIterations", "3");
    Scorer scorer = Examples.smallLandscape().asScorer();
    SearchResult one = new InProcessSearch(space, hp.with("seed", "1"), scorer).run();
    SearchResult two = new InProcessSearch(space, hp.with("seed", "2"), scorer).run();
    assertNotEquals(one.finalState().distribution(), two.finalState().distribution());
  }
}
