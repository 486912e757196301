package org.fpnas.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.SearchSpace;
import org.junit.jupiter.api.Test;

class SamplerTest {
  private static final int DRAWS = 100_000;
  private final SearchSpace tiny = Examples.tiny();

  @Test
  void splitMix64MatchesTheReferenceOutputs() {
    // Outputs of Vigna's splitmix64.c seeded with 1234567.
    SplitMix64 random = new SplitMix64(1234567);
    long[] expected = {
      6457827717110365317L,
      3203168211198807973L,
      -8629252141511181193L,
      4593380528125082431L,
      -2037821214251327795L
    };
    for (long value : expected) {
      assertEquals(value, random.nextLong());
    }
  }

  @Test
  void frequenciesMatchTheFactorizedDistribution() {
    checkFrequencies(
        Distribution.of(
            tiny, Phase.FACTORIZED, Examples.randomLogits(tiny, Phase.FACTORIZED, 21, 1.0), 0));
  }

  @Test
  void frequenciesMatchTheJointDistribution() {
    checkFrequencies(
        Distribution.of(tiny, Phase.JOINT, Examples.randomLogits(tiny, Phase.JOINT, 22, 1.0), 0));
  }

  /** Chi-square over the 18 architectures (17 degrees of freedom) and a per-cell tolerance. */
  private static void checkFrequencies(Distribution d) {
    Map<Architecture, Integer> counts = new HashMap<>();
    for (Architecture a : Sampler.samples(d, 99, 3, DRAWS)) {
      counts.merge(a, 1, Integer::sum);
    }
    double chiSquare = 0;
    for (Architecture a : Examples.all(d.space())) {
      double expected = DRAWS * d.probability(a);
      double observed = counts.getOrDefault(a, 0);
      chiSquare += (observed - expected) * (observed - expected) / expected;
      assertEquals(d.probability(a), observed / DRAWS, 0.006, a.toString());
    }
    // 40.79 is the 0.999 quantile of chi-square with 17 degrees of freedom.
    assertTrue(chiSquare < 40.79, "chi-square " + chiSquare);
  }

  @Test
  void sampleKDependsOnlyOnSeedIterationAndIndex() {
    Distribution d = Distribution.uniform(Examples.smallSpace(), Phase.FACTORIZED);
    List<Architecture> five = Sampler.samples(d, 42, 7, 5);
    List<Architecture> twenty = Sampler.samples(d, 42, 7, 20);
    assertEquals(five, twenty.subList(0, 5));
    assertEquals(twenty.get(13), Sampler.sample(d, 42, 7, 13));
  }

  @Test
  void differentSeedsIterationsAndIndicesGiveDifferentSamples() {
    Distribution d = Distribution.uniform(Examples.smallSpace(), Phase.FACTORIZED);
    List<Architecture> base = Sampler.samples(d, 1, 0, 50);
    assertNotEquals(base, Sampler.samples(d, 2, 0, 50));
    assertNotEquals(base, Sampler.samples(d, 1, 1, 50));
    assertEquals(50, new java.util.HashSet<>(base).size());
  }

  @Test
  void samplesAreValidInBothPhases() {
    SearchSpace space = Examples.smallSpace();
    for (Phase phase : Phase.values()) {
      Distribution d = Distribution.of(space, phase, Examples.randomLogits(space, phase, 5, 3), 0);
      for (Architecture a : Sampler.samples(d, 3, 0, 500)) {
        a.validate(space);
      }
    }
  }

  @Test
  void gaussianHasUnitVariance() {
    SplitMix64 random = new SplitMix64(5);
    double sum = 0;
    double squares = 0;
    for (int i = 0; i < DRAWS; i++) {
      double z = random.nextGaussian();
      sum += z;
      squares += z * z;
    }
    assertEquals(0.0, sum / DRAWS, 0.02);
    assertEquals(1.0, squares / DRAWS, 0.02);
  }
}
