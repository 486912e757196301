package org.fpnas.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.fpnas.core.landscape.Landscape;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.Layer;
import org.fpnas.core.space.SearchSpace;
import org.fpnas.core.space.Variable;

/** Test fixtures: the shipped example files and a tiny hand-made space. */
public final class Examples {
  private Examples() {}

  public static String resource(String name) {
    try (InputStream in = Examples.class.getResourceAsStream("examples/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing example resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static SearchSpace smallSpace() {
    return SearchSpace.parse(resource("small-space.yaml"), "small-space.yaml");
  }

  public static Landscape smallLandscape() {
    return Landscape.parse(resource("small-landscape.yaml"), "small-landscape.yaml", smallSpace());
  }

  /** Two layers, 3 x 2 and 3 choices: 18 architectures. */
  public static SearchSpace tiny() {
    return SearchSpace.of(
        "tiny",
        List.of(
            new Layer(
                "a", List.of(Variable.of("kernel", "3", "5", "7"), Variable.of("se", "off", "on"))),
            new Layer("b", List.of(Variable.of("act", "relu", "hswish", "swish")))));
  }

  /** Every architecture of a small space, in lexicographic order of the choice indices. */
  public static List<Architecture> all(SearchSpace space) {
    java.util.ArrayList<Architecture> out = new java.util.ArrayList<>();
    int[][] current = new int[space.layerCount()][];
    for (int l = 0; l < current.length; l++) {
      current[l] = new int[space.layer(l).variables().size()];
    }
    enumerate(space, current, 0, 0, out);
    return out;
  }

  private static void enumerate(
      SearchSpace space, int[][] current, int l, int m, List<Architecture> out) {
    if (l == current.length) {
      out.add(Architecture.of(current));
      return;
    }
    if (m == current[l].length) {
      enumerate(space, current, l + 1, 0, out);
      return;
    }
    for (int c = 0; c < space.choiceCount(l, m); c++) {
      current[l][m] = c;
      enumerate(space, current, l, m + 1, out);
    }
  }

  /** Logits drawn from a seeded stream, N(0, scale), shaped for the phase. */
  public static double[][] randomLogits(SearchSpace space, Phase phase, long seed, double scale) {
    double[][] logits = Distribution.uniform(space, phase).logits();
    SplitMix64 random = new SplitMix64(seed);
    for (double[] layer : logits) {
      for (int i = 0; i < layer.length; i++) {
        layer[i] = scale * random.nextGaussian();
      }
    }
    return logits;
  }
}
