package org.fpnas.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.fpnas.client.wire.WireConversions;
import org.fpnas.core.Hyperparameters;
import org.fpnas.core.InProcessSearch;
import org.fpnas.core.Scorer;
import org.fpnas.core.SearchState;
import org.fpnas.core.landscape.Landscape;
import org.fpnas.core.space.SearchSpace;
import org.fpnas.core.tabular.TabularBenchmarks;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.SearchSpec;

/**
 * The in-process reference of a search, and the bit-for-bit comparison of a published trajectory
 * with it.
 */
final class Trajectories {
  private Trajectories() {}

  /** Every state of the spec's in-process search, the initial one first. */
  static List<SearchState> reference(SearchSpec spec) {
    SearchSpace space = SearchSpace.parse(spec.getSpace(), "space");
    Scorer scorer =
        "tabular".equals(spec.getEvaluator())
            ? TabularBenchmarks.get(spec.getEvaluatorSettings().get("benchmark"))
                .scorer(spec.getSeed())
            : Landscape.parse(spec.getLandscape(), "landscape", space).asScorer();
    return new InProcessSearch(space, Hyperparameters.fromMap(spec.getHyperparameters()), scorer)
        .trajectory();
  }

  /** Every published distribution equals the reference's, bit for bit, and there are as many. */
  static void assertIdenticalToReference(SearchSpec spec, List<DistributionUpdate> published) {
    assertIdenticalToReference(reference(spec), published);
  }

  /**
   * Every published distribution equals the given reference's, bit for bit, and there are as many.
   */
  static void assertIdenticalToReference(
      List<SearchState> reference, List<DistributionUpdate> published) {
    assertEquals(reference.size(), published.size(), "one distribution per iteration");
    for (int t = 0; t < published.size(); t++) {
      SearchState expected = reference.get(t);
      DistributionUpdate actual = published.get(t);
      assertEquals(t, actual.getIteration());
      assertEquals(expected.sampleCount(), actual.getSampleCount(), "K at iteration " + t);
      double[][] logits = WireConversions.matrix(actual.getLogits());
      for (int l = 0; l < logits.length; l++) {
        assertArrayEquals(
            bits(expected.distribution().logits()[l]),
            bits(logits[l]),
            "iteration " + t + " layer " + l);
      }
    }
  }

  private static long[] bits(double[] v) {
    long[] out = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = Double.doubleToRawLongBits(v[i]);
    }
    return out;
  }
}
