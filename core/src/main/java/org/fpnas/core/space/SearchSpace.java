package org.fpnas.core.space;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A search space: named layers, each with variables and their choices, plus the optional fixed
 * parts of the network (input, stem, head, classes, per-layer strides) that a cost model needs.
 *
 * <p>Spaces are declared in YAML or JSON (see the module README for the format) and printed back in
 * either; {@code parse(s.toYaml())} and {@code parse(s.toJson())} equal {@code s}.
 */
public final class SearchSpace {
  private final String name;
  private final List<Layer> layers;
  private final Network network;
  private final int[][] choiceCounts;
  private final long architectureCount;

  private SearchSpace(String name, List<Layer> layers, Network network) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("the space name must not be empty");
    }
    Objects.requireNonNull(layers, "layers");
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("the space has no layers");
    }
    Set<String> names = new HashSet<>();
    for (Layer layer : layers) {
      Objects.requireNonNull(layer, "layer");
      if (!names.add(layer.name())) {
        throw new IllegalArgumentException("duplicate layer name '" + layer.name() + "'");
      }
    }
    this.name = name;
    this.layers = List.copyOf(layers);
    this.network = network;
    if (network != null) {
      checkTotalStride(network, this.layers);
    }
    this.choiceCounts = new int[this.layers.size()][];
    long count = 1;
    for (int l = 0; l < choiceCounts.length; l++) {
      List<Variable> variables = this.layers.get(l).variables();
      choiceCounts[l] = new int[variables.size()];
      for (int m = 0; m < variables.size(); m++) {
        choiceCounts[l][m] = variables.get(m).size();
        count = saturatingMultiply(count, choiceCounts[l][m]);
      }
    }
    this.architectureCount = count;
  }

  /** A space without the fixed network section (enough for sampling and landscapes). */
  public static SearchSpace of(String name, List<Layer> layers) {
    return new SearchSpace(name, layers, null);
  }

  /** A space with the fixed network section a cost model needs. */
  public static SearchSpace of(String name, List<Layer> layers, Network network) {
    return new SearchSpace(name, layers, Objects.requireNonNull(network, "network"));
  }

  /**
   * A synthetic space of {@code layers} identical layers {@code l0, l1, ...} whose variables {@code
   * v0, v1, ...} have {@code choices[m]} choices {@code c0, c1, ...} each (benchmarks, tests).
   */
  public static SearchSpace uniform(String name, int layers, int... choices) {
    if (layers < 1 || choices.length == 0) {
      throw new IllegalArgumentException(
          "a space needs at least one layer and one variable, got "
              + layers
              + " layers of "
              + choices.length
              + " variables");
    }
    List<Layer> out = new java.util.ArrayList<>();
    for (int l = 0; l < layers; l++) {
      List<Variable> variables = new java.util.ArrayList<>();
      for (int m = 0; m < choices.length; m++) {
        String[] names = new String[choices[m]];
        for (int c = 0; c < names.length; c++) {
          names[c] = "c" + c;
        }
        variables.add(Variable.of("v" + m, names));
      }
      out.add(new Layer("l" + l, variables));
    }
    return of(name, out);
  }

  /**
   * Parses a space from YAML or JSON text.
   *
   * @param sourceName the file name used in error messages (a {@code .json} name means JSON)
   * @throws SpaceFormatException naming the source, the line and the problem
   */
  public static SearchSpace parse(String text, String sourceName) {
    return SpaceParser.parse(text, sourceName);
  }

  /** Reads and parses a space file (UTF-8, YAML or JSON). */
  public static SearchSpace load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read space file " + file + ": " + e.getMessage(), e);
    }
    return parse(text, file.toString());
  }

  /** The space's name. */
  public String name() {
    return name;
  }

  /** The layers, in order. */
  public List<Layer> layers() {
    return layers;
  }

  /** The number of layers. */
  public int layerCount() {
    return layers.size();
  }

  /** Layer {@code l}. */
  public Layer layer(int l) {
    return layers.get(l);
  }

  /** The index of the layer with this name, or -1. */
  public int indexOf(String layerName) {
    for (int l = 0; l < layers.size(); l++) {
      if (layers.get(l).name().equals(layerName)) {
        return l;
      }
    }
    return -1;
  }

  /** The fixed network parts, when the space declares them. */
  public Optional<Network> network() {
    return Optional.ofNullable(network);
  }

  /** The number of architectures, the product of all choice counts; Long.MAX_VALUE if more. */
  public long architectureCount() {
    return architectureCount;
  }

  /** The number of choices of variable {@code m} of layer {@code l}. */
  public int choiceCount(int l, int m) {
    return choiceCounts[l][m];
  }

  /** The space in YAML, readable by {@link #parse}. */
  public String toYaml() {
    return SpaceWriter.toYaml(this);
  }

  /** The space as compact, canonical JSON, readable by {@link #parse}. */
  public String toJson() {
    return SpaceWriter.toJson(this);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SearchSpace other
        && name.equals(other.name)
        && layers.equals(other.layers)
        && Objects.equals(network, other.network);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, layers, network);
  }

  @Override
  public String toString() {
    return "SearchSpace["
        + name
        + ", "
        + layers.size()
        + " layers, "
        + architectureCount
        + (architectureCount == Long.MAX_VALUE ? "+" : "")
        + " architectures]";
  }

  /** {@code a · b}, or {@link Long#MAX_VALUE} when it overflows: counts of a space saturate. */
  public static long saturatingMultiply(long a, long b) {
    long hi = Math.multiplyHigh(a, b);
    long lo = a * b;
    return (hi == 0 && lo >= 0) ? lo : Long.MAX_VALUE;
  }

  private static void checkTotalStride(Network network, List<Layer> layers) {
    long total = network.stemStride();
    for (Layer layer : layers) {
      total = saturatingMultiply(total, layer.stride());
    }
    int side = Math.min(network.inputHeight(), network.inputWidth());
    if (total > side) {
      throw new IllegalArgumentException(
          "input "
              + network.inputHeight()
              + "x"
              + network.inputWidth()
              + " is too small for the total stride "
              + total
              + " of the stem and the layers");
    }
  }
}
