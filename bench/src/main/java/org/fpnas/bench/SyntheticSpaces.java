package org.fpnas.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.fpnas.core.SplitMix64;
import org.fpnas.core.landscape.Landscape;
import org.fpnas.core.space.Layer;
import org.fpnas.core.space.SearchSpace;
import org.fpnas.core.space.Variable;

/**
 * Spaces and landscapes for the benchmarks, generated from a few numbers so that every run can
 * rebuild them.
 */
public final class SyntheticSpaces {
  private SyntheticSpaces() {}

  /**
   * A space of {@code layers} identical layers whose variables have {@code choices[m]} choices
   * each.
   */
  public static SearchSpace uniform(String name, int layers, int... choices) {
    return SearchSpace.uniform(name, layers, choices);
  }

  /**
   * A landscape whose variables are correlated within each layer: per-choice values ~ N(0,
   * valueSd²), and for every pair of variables of a layer one interaction between a random choice
   * of each worth |N(0, interactionSd²)|; no interactions across layers (layers stay independent,
   * as the distribution assumes). The best architecture of a layer is then a combination, which a
   * factorized distribution can only reach through its marginals. A pure function of its arguments
   * (SplitMix64, domain 9).
   */
  public static Landscape correlated(
      SearchSpace space, long seed, double valueSd, double interactionSd, double noiseSigma) {
    SplitMix64 random = SplitMix64.seeded(seed, 9);
    StringBuilder yaml = new StringBuilder();
    yaml.append("space: ").append(space.name()).append('\n');
    yaml.append("base: -100.0\nbaseCost: 100.0\n");
    yaml.append(String.format(Locale.ROOT, "noise: {sigma: %s, seed: %d}%n", noiseSigma, seed));
    yaml.append("choices:\n");
    for (Layer layer : space.layers()) {
      for (Variable v : layer.variables()) {
        for (String c : v.choices()) {
          yaml.append(
              String.format(
                  Locale.ROOT,
                  "  - {choice: %s.%s=%s, value: %.3f}%n",
                  layer.name(),
                  v.name(),
                  c,
                  valueSd * random.nextGaussian()));
        }
      }
    }
    yaml.append("interactions:\n");
    Set<String> pairs = new LinkedHashSet<>();
    for (Layer layer : space.layers()) {
      List<Variable> vs = layer.variables();
      for (int i = 0; i < vs.size(); i++) {
        for (int j = i + 1; j < vs.size(); j++) {
          String a = ref(layer, vs.get(i), random.nextInt(vs.get(i).size()));
          String b = ref(layer, vs.get(j), random.nextInt(vs.get(j).size()));
          double value = Math.abs(interactionSd * random.nextGaussian());
          if (pairs.add(a + "|" + b)) {
            yaml.append(
                String.format(Locale.ROOT, "  - {choices: [%s, %s], value: %.3f}%n", a, b, value));
          }
        }
      }
    }
    return Landscape.parse(yaml.toString(), "correlated landscape (seed " + seed + ")", space);
  }

  private static String ref(Layer layer, Variable v, int choice) {
    return layer.name() + "." + v.name() + "=" + v.choices().get(choice);
  }

  /** A shipped example file of the core (e.g. {@code small-space.yaml}), as text. */
  public static String example(String name) {
    try (InputStream in =
        SyntheticSpaces.class.getResourceAsStream("/org/fpnas/core/examples/" + name)) {
      if (in == null) {
        throw new IllegalStateException("shipped example " + name + " is not on the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read shipped example " + name + ": " + e.getMessage(), e);
    }
  }
}
