package org.fpnas.bench.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashSet;
import java.util.List;
import org.fpnas.bench.SyntheticSpaces;
import org.fpnas.core.Distribution;
import org.fpnas.core.Phase;
import org.fpnas.core.mbconv.MbConvSpace;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.SearchSpace;
import org.junit.jupiter.api.Test;

class SupernetRankingPickTest {
  private final SearchSpace space =
      SearchSpace.parse(SyntheticSpaces.example("fbnet-fmnist.yaml"), "fbnet-fmnist.yaml");
  private final Distribution uniform = Distribution.uniform(space, Phase.FACTORIZED);

  @Test
  void theModeFirstThenDistinctDrawsFromTheDistributionThenUniformOnes() {
    List<SupernetRankingBench.Picked> picked =
        SupernetRankingBench.pick(
            space, uniform, new SupernetRankingSettings(16, 8, 0, 60, 1, 15000, 10));
    assertEquals(16, picked.size());
    assertEquals(uniform.mode(), picked.get(0).architecture());
    assertEquals("mode", picked.get(0).label());
    assertEquals(8, picked.stream().filter(p -> p.group().equals("distribution")).count());
    assertEquals("uniform 1", picked.get(8).label());
    assertEquals(
        16,
        new HashSet<>(picked.stream().map(SupernetRankingBench.Picked::architecture).toList())
            .size());
  }

  @Test
  void theSeedDecidesThePicks() {
    List<Architecture> first = architectures(0);
    assertEquals(first, architectures(0));
    assertNotEquals(first.subList(1, 16), architectures(1).subList(1, 16));
  }

  @Test
  void encodingsThatDifferOnlyInsideASkippedBlockAreOneNetwork() {
    MbConvSpace networks = MbConvSpace.of(space);
    int layer = -1;
    for (int l = 0; l < space.layerCount() && layer < 0; l++) {
      layer = space.layer(l).indexOf("skip") >= 0 ? l : -1;
    }
    int skip = space.layer(layer).indexOf("skip");
    int kernel = space.layer(layer).indexOf("kernel");
    int[][] a = uniform.mode().choices();
    a[layer][skip] = space.layer(layer).variables().get(skip).indexOf("on");
    int[][] b = uniform.mode().choices();
    b[layer][skip] = a[layer][skip];
    b[layer][kernel] = 1 - a[layer][kernel];
    assertEquals(
        SupernetRankingBench.networkKey(networks, Architecture.of(a)),
        SupernetRankingBench.networkKey(networks, Architecture.of(b)));
    a[layer][skip] = space.layer(layer).variables().get(skip).indexOf("off");
    b[layer][skip] = a[layer][skip];
    assertNotEquals(
        SupernetRankingBench.networkKey(networks, Architecture.of(a)),
        SupernetRankingBench.networkKey(networks, Architecture.of(b)));
  }

  @Test
  void ranksGiveOneToTheLargestAndShareTies() {
    assertEquals(
        List.of(3, 1, 1, 4),
        java.util.Arrays.stream(SupernetRankingBench.ranks(new double[] {0.2, 0.9, 0.9, -1}))
            .boxed()
            .toList());
  }

  private List<Architecture> architectures(long seed) {
    return SupernetRankingBench.pick(
            space, uniform, new SupernetRankingSettings(16, 8, seed, 60, 1, 15000, 10))
        .stream()
        .map(SupernetRankingBench.Picked::architecture)
        .toList();
  }
}
