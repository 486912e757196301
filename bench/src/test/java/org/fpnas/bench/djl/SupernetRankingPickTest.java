package org.fpnas.bench.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.fpnas.bench.SyntheticSpaces;
import org.fpnas.core.Distribution;
import org.fpnas.core.Phase;
import org.fpnas.core.Sampler;
import org.fpnas.core.mbconv.FlopsCounter;
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
    List<RankingPicks.Picked> picked = RankingPicks.pick(space, uniform, settings(8, 0, false));
    assertEquals(24, picked.size());
    assertEquals(uniform.mode(), picked.get(0).architecture());
    assertEquals("mode", picked.get(0).label());
    assertEquals(8, picked.stream().filter(p -> p.group().equals("distribution")).count());
    assertEquals("uniform 1", picked.get(8).label());
    assertEquals(
        24, new HashSet<>(picked.stream().map(RankingPicks.Picked::architecture).toList()).size());
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
        RankingPicks.networkKey(networks, Architecture.of(a)),
        RankingPicks.networkKey(networks, Architecture.of(b)));
    a[layer][skip] = space.layer(layer).variables().get(skip).indexOf("off");
    b[layer][skip] = a[layer][skip];
    assertNotEquals(
        RankingPicks.networkKey(networks, Architecture.of(a)),
        RankingPicks.networkKey(networks, Architecture.of(b)));
  }

  @Test
  void ranksGiveOneToTheLargestAndShareTies() {
    assertEquals(
        List.of(3, 1, 1, 4),
        java.util.Arrays.stream(SupernetRankingBench.ranks(new double[] {0.2, 0.9, 0.9, -1}))
            .boxed()
            .toList());
  }

  @Test
  void eachStratumGivesItsFirstDrawInFlopsOrder() {
    FlopsCounter counter = new FlopsCounter(space);
    List<Architecture> drawn = new ArrayList<>();
    for (int d = 0; d < 60; d++) {
      drawn.add(Sampler.sample(uniform, 9, 0, d));
    }
    List<Architecture> sorted =
        drawn.stream().sorted(Comparator.comparingLong(counter::multiplyAdds)).toList();
    List<Architecture> strata = RankingPicks.stratify(space, drawn, 6);
    assertEquals(6, strata.size());
    for (int s = 0; s < 6; s++) {
      List<Architecture> stratum = sorted.subList(s * 10, s * 10 + 10);
      Architecture first =
          stratum.stream().min(Comparator.comparingInt(drawn::indexOf)).orElseThrow();
      assertEquals(first, strata.get(s), "stratum " + s);
    }
    List<RankingPicks.Picked> picked = RankingPicks.pick(space, uniform, settings(0, 0, true));
    assertEquals(16, picked.size());
    List<Long> flops = picked.stream().map(p -> counter.multiplyAdds(p.architecture())).toList();
    assertEquals(flops.stream().sorted().toList(), flops, "uniform draws in FLOPs order");
  }

  @Test
  void similarArchitecturesAreWithinTenPercentAndDistinctNetworks() {
    FlopsCounter counter = new FlopsCounter(space);
    Architecture target = uniform.mode();
    List<Architecture> similar = RankingPicks.similar(space, target, 8, 0);
    MbConvSpace networks = MbConvSpace.of(space);
    HashSet<String> keys = new HashSet<>();
    keys.add(RankingPicks.networkKey(networks, target));
    for (Architecture a : similar) {
      double ratio = (double) counter.multiplyAdds(a) / counter.multiplyAdds(target);
      assertTrue(Math.abs(ratio - 1) <= 0.1, "FLOPs ratio " + ratio);
      assertTrue(keys.add(RankingPicks.networkKey(networks, a)), "distinct: " + a);
    }
    assertEquals(similar, RankingPicks.similar(space, target, 8, 0));
  }

  @Test
  void spreadPicksEvenlyFromTheStart() {
    assertArrayEquals(new int[] {0, 4, 8, 12, 16, 20}, SupernetRankingBench.spread(6, 24));
    assertArrayEquals(new int[0], SupernetRankingBench.spread(0, 24));
  }

  private static SupernetRankingSettings settings(int fromDistribution, long seed, boolean strata) {
    return SupernetRankingSettings.parse(
        Map.of(
            "architectures",
            Integer.toString(fromDistribution + 16),
            "fromDistribution",
            Integer.toString(fromDistribution),
            "seed",
            Long.toString(seed),
            "stratified",
            Boolean.toString(strata)));
  }

  private List<Architecture> architectures(long seed) {
    return RankingPicks.pick(space, uniform, settings(8, seed, true)).stream()
        .map(RankingPicks.Picked::architecture)
        .toList();
  }
}
