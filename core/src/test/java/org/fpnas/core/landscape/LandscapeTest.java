package org.fpnas.core.landscape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.fpnas.core.Distribution;
import org.fpnas.core.Examples;
import org.fpnas.core.Phase;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.Layer;
import org.fpnas.core.space.SearchSpace;
import org.fpnas.core.space.SpaceFormatException;
import org.fpnas.core.space.Variable;
import org.junit.jupiter.api.Test;

class LandscapeTest {
  private final SearchSpace tiny = Examples.tiny();

  private static final String TINY_LANDSCAPE =
      """
      space: tiny
      base: -20.0
      baseCost: 10.0
      noise: {sigma: 0.5, seed: 3}
      choices:
        - {choice: a.kernel=5, value: 1.0, cost: 2.0}
        - {choice: a.kernel=7, value: 1.5, cost: 4.0}
        - {choice: a.se=on, value: 0.5, cost: 1.0}
        - {choice: b.act=hswish, value: 0.8}
      interactions:
        - {choices: [a.kernel=7, b.act=hswish], value: -2.0}
        - {choices: [a.kernel=5, a.se=on], value: 0.3}
      """;

  private Landscape tinyLandscape() {
    return Landscape.parse(TINY_LANDSCAPE, "tiny-landscape.yaml", tiny);
  }

  @Test
  void scoresByChoicesAndInteractions() {
    Landscape landscape = tinyLandscape();
    assertEquals(-20.0 + 1.5, landscape.meanLogLikelihood(Architecture.parse("2.0|0")), 1e-12);
    assertEquals(
        -20.0 + 1.5 + 0.8 - 2.0, landscape.meanLogLikelihood(Architecture.parse("2.0|1")), 1e-12);
    assertEquals(
        -20.0 + 1.0 + 0.5 + 0.3 + 0.8,
        landscape.meanLogLikelihood(Architecture.parse("1.1|1")),
        1e-12);
    assertEquals(10.0 + 4.0 + 1.0, landscape.cost(Architecture.parse("2.1|1")), 1e-12);
    assertEquals(Architecture.parse("1.1|1"), landscape.best());
    assertEquals(0.0, landscape.regret(landscape.best()));
    assertEquals(-17.4 - (-18.5), landscape.regret(Architecture.parse("2.0|0")), 1e-12);
  }

  @Test
  void noiseIsAPureFunctionOfSeedIterationAndIndex() {
    Landscape landscape = tinyLandscape();
    Architecture a = Architecture.parse("0.0|0");
    assertEquals(landscape.logLikelihood(a, 4, 2), landscape.logLikelihood(a, 4, 2));
    assertNotEquals(landscape.logLikelihood(a, 4, 2), landscape.logLikelihood(a, 4, 3));
    assertNotEquals(landscape.logLikelihood(a, 4, 2), landscape.logLikelihood(a, 5, 2));
    double sum = 0;
    double squares = 0;
    int n = 20_000;
    for (int k = 0; k < n; k++) {
      double noise = landscape.logLikelihood(a, 0, k) - landscape.meanLogLikelihood(a);
      sum += noise;
      squares += noise * noise;
    }
    assertEquals(0.0, sum / n, 0.02);
    assertEquals(0.5, Math.sqrt(squares / n), 0.02);
  }

  @Test
  void yamlAndJsonRoundTrip() {
    for (Landscape landscape :
        List.of(
            tinyLandscape(),
            Examples.smallLandscape(),
            Landscape.random(Examples.smallSpace(), 4, 0.1, 0.7))) {
      SearchSpace space = landscape.space();
      assertEquals(landscape, Landscape.parse(landscape.toYaml(), "again.yaml", space));
      assertEquals(landscape, Landscape.parse(landscape.toJson(), "again.json", space));
    }
  }

  @Test
  void bestIsExactOnRandomLandscapes() {
    // Variable elimination against brute force on every architecture of a 13,824-architecture
    // space, with dense interactions.
    List<Layer> layers = new ArrayList<>();
    for (int l = 0; l < 3; l++) {
      layers.add(
          new Layer(
              "l" + l,
              List.of(
                  Variable.of("x", "a", "b", "c"),
                  Variable.of("y", "p", "q"),
                  Variable.of("z", "1", "2", "3", "4"))));
    }
    SearchSpace space = SearchSpace.of("bb", layers);
    for (long seed = 0; seed < 20; seed++) {
      Landscape landscape = Landscape.random(space, seed, 0.5, 0);
      Architecture brute = null;
      double best = Double.NEGATIVE_INFINITY;
      for (Architecture a : Examples.all(space)) {
        double value = landscape.meanLogLikelihood(a);
        if (value > best) {
          best = value;
          brute = a;
        }
      }
      assertEquals(brute, landscape.best(), "seed " + seed);
      assertTrue(best <= -10, "mean log-likelihoods stay at most -10");
    }
  }

  @Test
  void bestWorksOnTwentyLayerRandomLandscapes() {
    SearchSpace space = twentyLayers();
    Landscape landscape = Landscape.random(space, 1, 0.02, 1.0);
    Architecture best = landscape.best();
    // No single change improves the best (a necessary condition, checked exhaustively).
    int[][] choices = best.choices();
    for (int l = 0; l < choices.length; l++) {
      for (int m = 0; m < choices[l].length; m++) {
        for (int c = 0; c < space.choiceCount(l, m); c++) {
          int[][] changed = best.choices();
          changed[l][m] = c;
          assertTrue(landscape.regret(Architecture.of(changed)) >= 0);
        }
      }
    }
  }

  @Test
  void bestRefusesLandscapesTooDenseToSolveExactly() {
    Landscape dense = Landscape.random(twentyLayers(), 1, 0.5, 0);
    IllegalStateException e = assertThrows(IllegalStateException.class, dense::best);
    assertTrue(e.getMessage().contains("cannot be found exactly"), e.getMessage());
  }

  static SearchSpace twentyLayers() {
    List<Layer> layers = new ArrayList<>();
    for (int l = 0; l < 20; l++) {
      layers.add(
          new Layer(
              "b" + l,
              List.of(
                  Variable.of("kernel", "3", "5", "7"),
                  Variable.of("expansion", "1", "3", "6"),
                  Variable.of("se", "off", "on"),
                  Variable.of("act", "relu", "hswish"))));
    }
    return SearchSpace.of("twenty", layers);
  }

  @Test
  void randomLandscapesArePureFunctionsOfTheirArguments() {
    SearchSpace space = Examples.smallSpace();
    assertEquals(Landscape.random(space, 9, 0.2, 0.5), Landscape.random(space, 9, 0.2, 0.5));
    assertNotEquals(Landscape.random(space, 9, 0.2, 0.5), Landscape.random(space, 10, 0.2, 0.5));
    assertThrows(IllegalArgumentException.class, () -> Landscape.random(space, 1, 1.5, 0));
    assertThrows(IllegalArgumentException.class, () -> Landscape.random(space, 1, 0.5, -1));
  }

  @Test
  void theExampleHasAUniqueBestThatTheInteractionsMove() {
    Landscape landscape = Examples.smallLandscape();
    Architecture best = landscape.best();
    assertEquals(Architecture.parse("0.2.0|2.3.1|1.2.1|2.2.0|1.3.1|2.2.0"), best);
    // Every single change costs at least 1 nat: the best is clear.
    int[][] choices = best.choices();
    double smallest = Double.POSITIVE_INFINITY;
    for (int l = 0; l < choices.length; l++) {
      for (int m = 0; m < choices[l].length; m++) {
        for (int c = 0; c < landscape.space().choiceCount(l, m); c++) {
          if (c != choices[l][m]) {
            int[][] changed = best.choices();
            changed[l][m] = c;
            smallest = Math.min(smallest, landscape.regret(Architecture.of(changed)));
          }
        }
      }
    }
    assertTrue(smallest >= 1.0 - 1e-9, "smallest single-change regret " + smallest);
    // The per-choice favourites alone would pick kernel 5 in b2 and b4: the interactions matter.
    assertEquals("7", best.describe(landscape.space()).get("b2").get("kernel"));
    assertEquals("4", best.describe(landscape.space()).get("b4").get("expansion"));
  }

  @Test
  void rejectsBadFilesNamingTheLine() {
    assertLandscapeError(
        "space: tiny\nchoices:\n  - {choice: c.kernel=5, value: 1}\n", 3, "unknown layer 'c'");
    assertLandscapeError(
        "choices:\n  - {choice: a.size=5, value: 1}\n", 2, "layer 'a' has no variable 'size'");
    assertLandscapeError(
        "choices:\n  - {choice: a.kernel=9, value: 1}\n",
        2,
        "has no choice '9' (choices: 3, 5, 7)");
    assertLandscapeError(
        "choices:\n  - {choice: kernel=5, value: 1}\n", 2, "malformed choice reference");
    assertLandscapeError(
        "choices:\n  - {choice: a.kernel=5, value: 1}\n" + "  - {choice: a.kernel=5, cost: 1}\n",
        3,
        "duplicate entry for choice 'a.kernel=5'");
    assertLandscapeError(
        "interactions:\n  - {choices: [a.kernel=5, a.kernel=7], value: 1}\n", 2, "same variable");
    assertLandscapeError(
        "interactions:\n  - {choices: [a.kernel=5], value: 1}\n", 2, "exactly two choices");
    assertLandscapeError(
        "interactions:\n  - {choices: [a.kernel=5, b.act=relu], value: 1}\n"
            + "  - {choices: [b.act=relu, a.kernel=5], value: 2}\n",
        3,
        "duplicate interaction");
    assertLandscapeError("space: other\n", 1, "for space 'other', not for space 'tiny'");
    assertLandscapeError("baseCost: -1\n", 1, "base cost must not be negative");
    assertLandscapeError("noise: {sigma: 1, sead: 2}\n", 1, "unknown key 'sead'");
    assertLandscapeError(
        "choices:\n  - {choice: a.kernel=5, value: lots}\n", 2, "must be a finite decimal number");
  }

  private void assertLandscapeError(String text, int line, String fragment) {
    SpaceFormatException e =
        assertThrows(SpaceFormatException.class, () -> Landscape.parse(text, "land.yaml", tiny));
    assertEquals(line, e.line(), e.getMessage());
    assertTrue(e.getMessage().startsWith("land.yaml:" + line + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }

  @Test
  void theExpectedLogLikelihoodUnderADistributionIsExact() {
    Landscape landscape = tinyLandscape();
    for (Phase phase : Phase.values()) {
      Distribution d = Distribution.of(tiny, phase, Examples.randomLogits(tiny, phase, 11, 1.5), 0);
      double enumerated = 0;
      for (Architecture a : Examples.all(tiny)) {
        enumerated += d.probability(a) * landscape.meanLogLikelihood(a);
      }
      assertEquals(enumerated, landscape.expectedMeanLogLikelihood(d), 1e-9, phase.toString());
      assertEquals(
          landscape.meanLogLikelihood(landscape.best()) - enumerated,
          landscape.expectedRegret(d),
          1e-9);
    }
  }

  /** Two layers; per layer the 3- and 4-choice variables form a deceptive pair, the binary not. */
  private static final SearchSpace PAIRS = SearchSpace.uniform("pairs", 2, 3, 2, 4);

  @Test
  void aDeceptiveLandscapeIsAPureFunctionOfItsSeed() {
    Landscape a = Landscape.deceptive(PAIRS, 5, 8.0, 0.5);
    assertEquals(a, Landscape.deceptive(PAIRS, 5, 8.0, 0.5));
    assertNotEquals(a, Landscape.deceptive(PAIRS, 6, 8.0, 0.5));
    assertEquals(a, Landscape.parse(a.toYaml(), "again.yaml", PAIRS));
    for (Architecture arch : Examples.all(PAIRS)) {
      assertTrue(a.meanLogLikelihood(arch) <= -10, "log-likelihoods stay negative");
    }
  }

  @Test
  void aDeceptiveLandscapesMarginalsPointToALocalOptimumThatIsNotTheBest() {
    for (long seed = 0; seed < 20; seed++) {
      Landscape landscape = Landscape.deceptive(PAIRS, seed, 8.0, 0.5);
      List<Architecture> all = Examples.all(PAIRS);
      // Each variable's favourite: the choice with the best mean over every architecture taking it
      // (what a factorized distribution learns from uniform samples).
      int[][] favourite = new int[PAIRS.layerCount()][3];
      for (int l = 0; l < PAIRS.layerCount(); l++) {
        for (int m = 0; m < 3; m++) {
          double bestMean = Double.NEGATIVE_INFINITY;
          for (int c = 0; c < PAIRS.choiceCount(l, m); c++) {
            double sum = 0;
            int count = 0;
            for (Architecture a : all) {
              if (a.choice(l, m) == c) {
                sum += landscape.meanLogLikelihood(a);
                count++;
              }
            }
            if (sum / count > bestMean) {
              bestMean = sum / count;
              favourite[l][m] = c;
            }
          }
        }
      }
      Architecture favourites = Architecture.of(favourite);
      assertTrue(
          landscape.regret(favourites) >= 2 * 0.12 * 8.0 - 1e-9,
          "seed " + seed + ": the favourites miss the best by at least 0.12 V per layer");
      for (int l = 0; l < PAIRS.layerCount(); l++) {
        assertNotEquals(favourite[l][0], landscape.best().choice(l, 0), "seed " + seed);
        assertNotEquals(favourite[l][2], landscape.best().choice(l, 2), "seed " + seed);
        for (int m = 0; m < 3; m++) {
          for (int c = 0; c < PAIRS.choiceCount(l, m); c++) {
            if (c == favourite[l][m]) {
              continue;
            }
            int[][] changed = favourites.choices();
            changed[l][m] = c;
            assertTrue(
                landscape.meanLogLikelihood(Architecture.of(changed))
                    < landscape.meanLogLikelihood(favourites),
                "seed " + seed + ": no single change improves the favourites");
          }
        }
      }
    }
  }

  @Test
  void aDeceptiveLandscapeNeedsAPairOfWideVariables() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Landscape.deceptive(SearchSpace.uniform("narrow", 3, 3, 2, 2), 1, 8.0, 0.5));
    assertTrue(e.getMessage().contains("'narrow'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Landscape.deceptive(PAIRS, 1, 0.0, 0.5));
  }
}
