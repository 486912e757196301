package org.fpnas.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.fpnas.controller.fold.WireConversions;
import org.fpnas.core.Hyperparameters;
import org.fpnas.core.InProcessSearch;
import org.fpnas.core.Landscape;
import org.fpnas.core.SearchResult;
import org.fpnas.core.SearchSpace;
import org.fpnas.core.SearchState;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.SearchSpec;

/** The in-process reference of a search, and the bit-for-bit comparison of a published trajectory with it. */
final class Trajectories {
  private Trajectories() {}

  static SearchResult reference(SearchSpec spec) {
    SearchSpace space = SearchSpace.parse(spec.getSpace(), "space");
    Landscape landscape = Landscape.parse(spec.getLandscape(), "landscape", space);
    return new InProcessSearch(space, Hyperparameters.fromMap(spec.getHyperparameters()), landscape.asScorer()).run();
  }

  /** Every published distribution equals the reference's, bit for bit, and there are as many. */
  static void assertIdenticalToReference(SearchSpec spec, List<DistributionUpdate> published) {
    assertIdenticalToReference(reference(spec), published);
  }

  /** Every published distribution equals the given reference's, bit for bit, and there are as many. */
  static void assertIdenticalToReference(SearchResult reference, List<DistributionUpdate> published) {
    assertEquals(reference.states().size(), published.size(), "one distribution per iteration");
    for (int t = 0; t < published.size(); t++) {
      SearchState expected = reference.states().get(t);
      DistributionUpdate actual = published.get(t);
      assertEquals(t, actual.getIteration());
      assertEquals(expected.sampleCount(), actual.getSampleCount(), "K at iteration " + t);
      double[][] logits = WireConversions.matrix(actual.getLogits());
      for (int l = 0; l < logits.length; l++) {
        assertArrayEquals(bits(expected.distribution().logits()[l]), bits(logits[l]), "iteration " + t + " layer " + l);
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
