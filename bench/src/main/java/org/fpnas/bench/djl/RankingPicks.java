package org.fpnas.bench.djl;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.fpnas.core.Distribution;
import org.fpnas.core.Sampler;
import org.fpnas.core.SplitMix64;
import org.fpnas.core.mbconv.FlopsCounter;
import org.fpnas.core.mbconv.MbConvBlock;
import org.fpnas.core.mbconv.MbConvSpace;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.SearchSpace;

/** Which architectures {@code supernet-ranking} ranks: deterministic in its seed. */
final class RankingPicks {
  private static final long UNIFORM_DOMAIN = 0x52414E4BL; // "RANK": not the sampler's domain
  private static final long SIMILAR_DOMAIN = 0x53494D4CL; // "SIML"

  /** Uniform candidates per stratum from which a stratum's architecture is taken. */
  private static final int CANDIDATES_PER_STRATUM = 20;

  private RankingPicks() {}

  /** One architecture to rank: its label, the group it was drawn for, and itself. */
  record Picked(String label, String group, Architecture architecture) {}

  /**
   * The architectures, all distinct networks (encodings that differ only in a skipped block's
   * choices are one network): the final distribution's mode and distinct draws from it ({@code
   * Sampler} draws of iteration 0 under the ranking seed), then uniform draws from the space (a
   * stream of their own). Stratified, the uniform ones are one per stratum of equal count of {@code
   * 20 × n} distinct uniform draws sorted by FLOPs, each stratum's first draw, in FLOPs order: a
   * uniform sample that spans the space's FLOPs evenly, so that a few of them do not all land in
   * the middle.
   */
  static List<Picked> pick(
      SearchSpace space, Distribution distribution, SupernetRankingSettings settings) {
    MbConvSpace networks = MbConvSpace.of(space);
    Set<String> seen = new LinkedHashSet<>();
    List<Picked> out = new ArrayList<>();
    if (settings.fromDistribution() > 0) {
      Architecture mode = distribution.mode();
      seen.add(networkKey(networks, mode));
      out.add(new Picked("mode", "distribution", mode));
    }
    int limit = 100_000;
    for (int draw = 0; out.size() < settings.fromDistribution(); draw++) {
      if (draw == limit) {
        throw new IllegalStateException(
            "supernet-ranking: the final distribution gave "
                + out.size()
                + " distinct architectures in "
                + limit
                + " draws, fewer than fromDistribution = "
                + settings.fromDistribution());
      }
      Architecture a = Sampler.sample(distribution, settings.seed(), 0, draw);
      if (seen.add(networkKey(networks, a))) {
        out.add(new Picked("distribution " + out.size(), "distribution", a));
      }
    }
    int wanted = settings.architectures() - out.size();
    int candidates = settings.stratified() ? wanted * CANDIDATES_PER_STRATUM : wanted;
    List<Architecture> drawn = new ArrayList<>();
    for (int draw = 0; drawn.size() < candidates; draw++) {
      Architecture a = uniform(space, SplitMix64.seeded(settings.seed(), UNIFORM_DOMAIN, draw));
      if (seen.add(networkKey(networks, a))) {
        drawn.add(a);
      }
    }
    List<Architecture> uniform = settings.stratified() ? stratify(space, drawn, wanted) : drawn;
    for (int i = 0; i < uniform.size(); i++) {
      out.add(new Picked("uniform " + (i + 1), "uniform", uniform.get(i)));
    }
    return out;
  }

  static List<Architecture> stratify(SearchSpace space, List<Architecture> drawn, int strata) {
    FlopsCounter counter = new FlopsCounter(space);
    List<Integer> byFlops = new ArrayList<>();
    for (int i = 0; i < drawn.size(); i++) {
      byFlops.add(i);
    }
    // Stable: equal FLOPs keep draw order.
    byFlops.sort(Comparator.comparingLong(i -> counter.multiplyAdds(drawn.get(i))));
    List<Architecture> out = new ArrayList<>();
    for (int s = 0; s < strata; s++) {
      List<Integer> stratum =
          byFlops.subList(s * drawn.size() / strata, (s + 1) * drawn.size() / strata);
      out.add(drawn.get(stratum.stream().min(Integer::compare).orElseThrow()));
    }
    return out;
  }

  /**
   * {@code n} uniformly random networks within 10% of {@code target}'s FLOPs, none of them {@code
   * target} nor one another (rejection sampling, so uniform among those that fit).
   */
  static List<Architecture> similar(SearchSpace space, Architecture target, int n, long seed) {
    MbConvSpace networks = MbConvSpace.of(space);
    FlopsCounter counter = new FlopsCounter(space);
    double goal = counter.multiplyAdds(target);
    Set<String> seen = new LinkedHashSet<>();
    seen.add(networkKey(networks, target));
    List<Architecture> out = new ArrayList<>();
    int limit = 10_000_000;
    for (int draw = 0; out.size() < n; draw++) {
      if (draw == limit) {
        throw new IllegalStateException(
            "supernet-ranking: only "
                + out.size()
                + " of "
                + n
                + " random architectures within"
                + " 10% of the mode's FLOPs in "
                + limit
                + " draws");
      }
      Architecture a = uniform(space, SplitMix64.seeded(seed, SIMILAR_DOMAIN, draw));
      if (Math.abs(counter.multiplyAdds(a) / goal - 1) <= 0.1
          && seen.add(networkKey(networks, a))) {
        out.add(a);
      }
    }
    return out;
  }

  /**
   * The network an architecture stands for: a skipped block is an identity whatever its choices.
   */
  static String networkKey(MbConvSpace networks, Architecture architecture) {
    StringBuilder key = new StringBuilder();
    for (MbConvBlock b : networks.resolve(architecture).blocks()) {
      key.append(
              b.skipped()
                  ? "skip"
                  : b.kernel()
                      + "/"
                      + b.expandedChannels()
                      + "/"
                      + b.outputChannels()
                      + "/"
                      + b.squeezeChannels()
                      + "/"
                      + b.activation())
          .append('|');
    }
    return key.toString();
  }

  private static Architecture uniform(SearchSpace space, SplitMix64 random) {
    int[][] c = new int[space.layerCount()][];
    for (int l = 0; l < c.length; l++) {
      c[l] = new int[space.layer(l).variables().size()];
      for (int m = 0; m < c[l].length; m++) {
        c[l][m] = random.nextInt(space.choiceCount(l, m));
      }
    }
    return Architecture.of(c);
  }
}
