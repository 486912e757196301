package org.fpnas.evaluator.djl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.fpnas.core.SplitMix64;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.SearchSpace;
import org.fpnas.evaluator.api.EvaluationRequest;

/** Shared test fixtures: the shipped spaces, architectures, requests with small settings. */
final class Fixtures {
  /** Settings small enough for tests: a few short steps, a small validation batch. */
  static final Map<String, String> SMALL =
      Map.of("trainSteps", "2", "batchSize", "16", "validationBatch", "64");

  private Fixtures() {}

  static SearchSpace space(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/org/fpnas/core/examples/" + name)) {
      return SearchSpace.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static SearchSpace fmnist() {
    return space("fbnet-fmnist.yaml");
  }

  static int[][] zeros(SearchSpace space) {
    int[][] choices = new int[space.layerCount()][];
    for (int l = 0; l < choices.length; l++) {
      choices[l] = new int[space.layer(l).variables().size()];
    }
    return choices;
  }

  /** The widest architecture: last choice everywhere, no skips. */
  static Architecture widest(SearchSpace space) {
    int[][] c = zeros(space);
    for (int l = 0; l < c.length; l++) {
      for (int m = 0; m < c[l].length; m++) {
        c[l][m] =
            space.layer(l).variables().get(m).name().equals("skip")
                ? 0
                : space.choiceCount(l, m) - 1;
      }
    }
    return Architecture.of(c);
  }

  static Architecture random(SearchSpace space, long seed) {
    SplitMix64 r = new SplitMix64(seed);
    int[][] c = zeros(space);
    for (int l = 0; l < c.length; l++) {
      for (int m = 0; m < c[l].length; m++) {
        c[l][m] = r.nextInt(space.choiceCount(l, m));
      }
    }
    return Architecture.of(c);
  }

  /** An architecture with one variable set by name in one layer, the rest as in {@code base}. */
  static Architecture with(
      SearchSpace space, Architecture base, String layer, String variable, String value) {
    int[][] c = base.choices();
    int l = space.indexOf(layer);
    int m = space.layer(l).indexOf(variable);
    c[l][m] = space.layer(l).variables().get(m).indexOf(value);
    if (c[l][m] < 0) {
      throw new IllegalArgumentException(layer + "." + variable + " has no choice " + value);
    }
    return Architecture.of(c);
  }

  static EvaluationRequest request(
      SearchSpace space, Architecture a, int iteration, int index, Map<String, String> settings) {
    return new EvaluationRequest("test-search", iteration, index, 0, a, space, 42L, settings, null);
  }
}
