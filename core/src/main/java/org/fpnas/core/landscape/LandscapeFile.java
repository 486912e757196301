package org.fpnas.core.landscape;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fpnas.core.SplitMix64;
import org.fpnas.core.space.Fields;
import org.fpnas.core.space.Json;
import org.fpnas.core.space.Layer;
import org.fpnas.core.space.Node;
import org.fpnas.core.space.NodeReader;
import org.fpnas.core.space.SearchSpace;
import org.fpnas.core.space.Variable;
import org.fpnas.core.space.Yaml;

/** Reads, writes and generates landscapes in their file format (see the module README). */
final class LandscapeFile {
  static final List<String> TOP_KEYS =
      List.of("space", "base", "baseCost", "noise", "choices", "interactions");
  static final List<String> NOISE_KEYS = List.of("sigma", "seed");
  static final List<String> CHOICE_KEYS = List.of("choice", "value", "cost");
  static final List<String> INTERACTION_KEYS = List.of("choices", "value");

  static final Comparator<Landscape.Interaction> INTERACTION_ORDER =
      Comparator.comparingInt(Landscape.Interaction::layer1)
          .thenComparingInt(Landscape.Interaction::variable1)
          .thenComparingInt(Landscape.Interaction::choice1)
          .thenComparingInt(Landscape.Interaction::layer2)
          .thenComparingInt(Landscape.Interaction::variable2)
          .thenComparingInt(Landscape.Interaction::choice2);

  private LandscapeFile() {}

  /** A choice of a space: layer, variable, choice indices. */
  private record Ref(int layer, int variable, int choice) {
    boolean before(Ref other) {
      return layer < other.layer || (layer == other.layer && variable < other.variable);
    }
  }

  static Landscape parse(String text, String source, SearchSpace space) {
    Fields top =
        Fields.root(source, NodeReader.read(text, source), "the landscape").allowOnly(TOP_KEYS);
    if (top.has("space")) {
      String name = top.text("space");
      if (!name.equals(space.name())) {
        throw top.error(
            top.required("space").value().line,
            "the landscape is for space '" + name + "', not for space '" + space.name() + "'");
      }
    }
    double base = top.number("base", 0.0) + 0.0;
    double baseCost = nonNegative(top, "baseCost", "base cost");
    double sigma = 0;
    long noiseSeed = 0;
    if (top.has("noise")) {
      Fields noise = top.section("noise").allowOnly(NOISE_KEYS);
      sigma = nonNegative(noise, "sigma", "noise sigma");
      noiseSeed = noise.longInteger("seed", 0);
    }
    double[][][] values = zeros(space);
    double[][][] costs = zeros(space);
    if (top.has("choices")) {
      Map<Ref, Integer> firstLine = new HashMap<>();
      List<Node> items = top.list("choices").items;
      for (int i = 0; i < items.size(); i++) {
        Fields entry =
            Fields.of(source, items.get(i), "choice entry #" + (i + 1)).allowOnly(CHOICE_KEYS);
        Node refNode = entry.required("choice").value();
        Ref ref = resolve(entry, refNode, space);
        Integer previous = firstLine.putIfAbsent(ref, refNode.line);
        if (previous != null) {
          throw entry.error(
              refNode.line,
              "duplicate entry for choice '"
                  + entry.text("choice")
                  + "' (first at line "
                  + previous
                  + ")");
        }
        values[ref.layer][ref.variable][ref.choice] = entry.number("value", 0.0) + 0.0;
        costs[ref.layer][ref.variable][ref.choice] = nonNegative(entry, "cost", "cost") + 0.0;
      }
    }
    List<Landscape.Interaction> interactions = new ArrayList<>();
    if (top.has("interactions")) {
      Map<List<Ref>, Integer> firstLine = new HashMap<>();
      List<Node> items = top.list("interactions").items;
      for (int i = 0; i < items.size(); i++) {
        Fields entry =
            Fields.of(source, items.get(i), "interaction #" + (i + 1)).allowOnly(INTERACTION_KEYS);
        Node.ListNode pair = entry.list("choices");
        if (pair.items.size() != 2) {
          throw entry.error(
              pair.line,
              "interaction #"
                  + (i + 1)
                  + " must name exactly two "
                  + "choices, got "
                  + pair.items.size());
        }
        Ref a = resolve(entry, pair.items.get(0), space);
        Ref b = resolve(entry, pair.items.get(1), space);
        if (a.layer == b.layer && a.variable == b.variable) {
          throw entry.error(
              pair.line,
              "interaction #"
                  + (i + 1)
                  + " pairs two choices of the "
                  + "same variable, which no architecture takes together");
        }
        Ref first = a.before(b) ? a : b;
        Ref second = a.before(b) ? b : a;
        Integer previous = firstLine.putIfAbsent(List.of(first, second), pair.line);
        if (previous != null) {
          throw entry.error(
              pair.line,
              "duplicate interaction of the same two choices (first "
                  + "at line "
                  + previous
                  + ")");
        }
        if (!entry.has("value")) {
          throw entry.error(entry.line(), "missing key 'value' in interaction #" + (i + 1));
        }
        interactions.add(
            new Landscape.Interaction(
                first.layer,
                first.variable,
                first.choice,
                second.layer,
                second.variable,
                second.choice,
                entry.number("value") + 0.0));
      }
    }
    return new Landscape(space, base, baseCost, sigma, noiseSeed, values, costs, interactions);
  }

  private static double nonNegative(Fields fields, String key, String what) {
    double value = fields.number(key, 0.0);
    if (value < 0) {
      throw fields.error(
          fields.required(key).value().line, what + " must not be negative, got " + value);
    }
    return value + 0.0;
  }

  private static Ref resolve(Fields fields, Node node, SearchSpace space) {
    String text = fields.scalar(node, "a choice reference");
    int dot = text.indexOf('.');
    int eq = dot < 0 ? -1 : text.indexOf('=', dot);
    if (dot <= 0 || eq < 0 || eq == dot + 1 || eq == text.length() - 1) {
      throw fields.error(
          node.line,
          "malformed choice reference '"
              + text
              + "' (expected layer.variable=choice, e.g. b1.kernel=5)");
    }
    String layerName = text.substring(0, dot);
    String variableName = text.substring(dot + 1, eq);
    String choice = text.substring(eq + 1);
    int l = space.indexOf(layerName);
    if (l < 0) {
      throw fields.error(node.line, "unknown layer '" + layerName + "' in '" + text + "'");
    }
    Layer layer = space.layer(l);
    int m = layer.indexOf(variableName);
    if (m < 0) {
      throw fields.error(
          node.line,
          "layer '" + layerName + "' has no variable '" + variableName + "' (in '" + text + "')");
    }
    Variable variable = layer.variables().get(m);
    int c = variable.indexOf(choice);
    if (c < 0) {
      throw fields.error(
          node.line,
          "variable '"
              + variableName
              + "' of layer '"
              + layerName
              + "' has no choice '"
              + choice
              + "' (choices: "
              + String.join(", ", variable.choices())
              + ")");
    }
    return new Ref(l, m, c);
  }

  static double[][][] zeros(SearchSpace space) {
    double[][][] out = new double[space.layerCount()][][];
    for (int l = 0; l < out.length; l++) {
      out[l] = new double[space.layer(l).variables().size()][];
      for (int m = 0; m < out[l].length; m++) {
        out[l][m] = new double[space.choiceCount(l, m)];
      }
    }
    return out;
  }

  static String ref(SearchSpace space, int l, int m, int c) {
    Layer layer = space.layer(l);
    Variable variable = layer.variables().get(m);
    return layer.name() + "." + variable.name() + "=" + variable.choices().get(c);
  }

  static String toYaml(Landscape landscape) {
    SearchSpace space = landscape.space();
    StringBuilder out = new StringBuilder();
    out.append("space: ").append(Yaml.scalar(space.name())).append('\n');
    out.append("base: ").append(landscape.base()).append('\n');
    out.append("baseCost: ").append(landscape.baseCost()).append('\n');
    out.append("noise: {sigma: ")
        .append(landscape.noiseSigma())
        .append(", seed: ")
        .append(landscape.noiseSeed())
        .append("}\n");
    StringBuilder choices = new StringBuilder();
    forEachChoice(
        space,
        (l, m, c) -> {
          double value = landscape.value(l, m, c);
          double cost = landscape.choiceCost(l, m, c);
          if (value != 0 || cost != 0) {
            choices.append("  - {choice: ").append(Yaml.scalar(ref(space, l, m, c)));
            if (value != 0) {
              choices.append(", value: ").append(value);
            }
            if (cost != 0) {
              choices.append(", cost: ").append(cost);
            }
            choices.append("}\n");
          }
        });
    out.append(choices.length() == 0 ? "choices: []\n" : "choices:\n" + choices);
    if (landscape.interactions().isEmpty()) {
      out.append("interactions: []\n");
    } else {
      out.append("interactions:\n");
      for (Landscape.Interaction i : landscape.interactions()) {
        out.append("  - {choices: [")
            .append(Yaml.scalar(ref(space, i.layer1(), i.variable1(), i.choice1())))
            .append(", ")
            .append(Yaml.scalar(ref(space, i.layer2(), i.variable2(), i.choice2())))
            .append("], value: ")
            .append(i.value())
            .append("}\n");
      }
    }
    return out.toString();
  }

  static String toJson(Landscape landscape) {
    SearchSpace space = landscape.space();
    return Json.write(
        out -> {
          out.writeStartObject();
          out.writeStringField("space", space.name());
          number(out, "base", landscape.base());
          number(out, "baseCost", landscape.baseCost());
          out.writeObjectFieldStart("noise");
          number(out, "sigma", landscape.noiseSigma());
          out.writeNumberField("seed", landscape.noiseSeed());
          out.writeEndObject();
          out.writeArrayFieldStart("choices");
          for (int l = 0; l < space.layerCount(); l++) {
            for (int m = 0; m < space.layer(l).variables().size(); m++) {
              for (int c = 0; c < space.choiceCount(l, m); c++) {
                double value = landscape.value(l, m, c);
                double cost = landscape.choiceCost(l, m, c);
                if (value != 0 || cost != 0) {
                  out.writeStartObject();
                  out.writeStringField("choice", ref(space, l, m, c));
                  if (value != 0) {
                    number(out, "value", value);
                  }
                  if (cost != 0) {
                    number(out, "cost", cost);
                  }
                  out.writeEndObject();
                }
              }
            }
          }
          out.writeEndArray();
          out.writeArrayFieldStart("interactions");
          for (Landscape.Interaction i : landscape.interactions()) {
            out.writeStartObject();
            out.writeArrayFieldStart("choices");
            out.writeString(ref(space, i.layer1(), i.variable1(), i.choice1()));
            out.writeString(ref(space, i.layer2(), i.variable2(), i.choice2()));
            out.writeEndArray();
            number(out, "value", i.value());
            out.writeEndObject();
          }
          out.writeEndArray();
          out.writeEndObject();
        });
  }

  /** Writes a double with {@link Double#toString(double)}, which reads back exactly. */
  private static void number(JsonGenerator out, String name, double value) throws IOException {
    out.writeFieldName(name);
    out.writeNumber(Double.toString(value));
  }

  private interface ChoiceVisitor {
    void visit(int l, int m, int c);
  }

  private static void forEachChoice(SearchSpace space, ChoiceVisitor visitor) {
    for (int l = 0; l < space.layerCount(); l++) {
      for (int m = 0; m < space.layer(l).variables().size(); m++) {
        for (int c = 0; c < space.choiceCount(l, m); c++) {
          visitor.visit(l, m, c);
        }
      }
    }
  }

  static Landscape random(
      SearchSpace space, long seed, double interactionDensity, double noiseSigma) {
    if (!(interactionDensity >= 0 && interactionDensity <= 1)) {
      throw new IllegalArgumentException(
          "interactionDensity must be in [0, 1], got " + interactionDensity);
    }
    if (!(noiseSigma >= 0) || Double.isInfinite(noiseSigma)) {
      throw new IllegalArgumentException(
          "noiseSigma must be finite and not negative, got " + noiseSigma);
    }
    SplitMix64 random = SplitMix64.seeded(seed, Landscape.RANDOM_DOMAIN);
    double[][][] values = zeros(space);
    double[][][] costs = zeros(space);
    List<int[]> variables = new ArrayList<>();
    double spread = 0;
    for (int l = 0; l < space.layerCount(); l++) {
      for (int m = 0; m < values[l].length; m++) {
        variables.add(new int[] {l, m});
        double largest = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < values[l][m].length; c++) {
          values[l][m][c] = round(random.nextGaussian());
          costs[l][m][c] = round(10 * random.nextDouble());
          largest = Math.max(largest, values[l][m][c]);
        }
        spread += Math.max(0, largest);
      }
    }
    List<Landscape.Interaction> interactions = new ArrayList<>();
    for (int v = 0; v < variables.size(); v++) {
      for (int w = v + 1; w < variables.size(); w++) {
        if (random.nextDouble() < interactionDensity) {
          int[] a = variables.get(v);
          int[] b = variables.get(w);
          int ca = random.nextInt(space.choiceCount(a[0], a[1]));
          int cb = random.nextInt(space.choiceCount(b[0], b[1]));
          double value = round(1.5 * random.nextGaussian());
          if (value != 0) {
            interactions.add(new Landscape.Interaction(a[0], a[1], ca, b[0], b[1], cb, value));
            spread += Math.max(0, value);
          }
        }
      }
    }
    double base = -Math.ceil(10 + spread);
    long noiseSeed = random.nextLong();
    return new Landscape(
        space, base, 100.0, noiseSigma + 0.0, noiseSeed, values, costs, interactions);
  }

  /**
   * A landscape whose marginals mislead (see {@link Landscape#deceptive}). Per layer, the variables
   * with at least three choices are paired in order; each pair gets two good combinations
   * (interactions worth V and 0.85–0.95 V, so its mixtures score nothing) and, on a third choice of
   * each variable, a decoy worth 0.36–0.44 V alone. Under any spread-out distribution of the
   * partner a decoy's expected gain (≥ 0.36 V) beats a good choice's (≤ V / 3), and the two decoys
   * together (≤ 0.88 V) are a local optimum below the best combination.
   */
  static Landscape deceptive(SearchSpace space, long seed, double modeValue, double noiseSigma) {
    if (!(modeValue > 0) || Double.isInfinite(modeValue)) {
      throw new IllegalArgumentException("modeValue must be finite and > 0, got " + modeValue);
    }
    if (!(noiseSigma >= 0) || Double.isInfinite(noiseSigma)) {
      throw new IllegalArgumentException(
          "noiseSigma must be finite and not negative, got " + noiseSigma);
    }
    SplitMix64 random = SplitMix64.seeded(seed, Landscape.DECEPTIVE_DOMAIN);
    double[][][] values = zeros(space);
    double[][][] costs = zeros(space);
    List<Landscape.Interaction> interactions = new ArrayList<>();
    double spread = 0;
    int pairs = 0;
    for (int l = 0; l < space.layerCount(); l++) {
      List<Integer> wide = new ArrayList<>();
      for (int m = 0; m < values[l].length; m++) {
        if (space.choiceCount(l, m) >= 3) {
          wide.add(m);
        }
      }
      boolean[] paired = new boolean[values[l].length];
      for (int i = 0; i + 1 < wide.size(); i += 2) {
        int a = wide.get(i);
        int b = wide.get(i + 1);
        paired[a] = true;
        paired[b] = true;
        int[] ca = threeChoices(random, space.choiceCount(l, a));
        int[] cb = threeChoices(random, space.choiceCount(l, b));
        double second = round(modeValue * (0.85 + 0.1 * random.nextDouble()));
        interactions.add(new Landscape.Interaction(l, a, ca[0], l, b, cb[0], round(modeValue)));
        interactions.add(new Landscape.Interaction(l, a, ca[1], l, b, cb[1], second));
        values[l][a][ca[2]] = round(modeValue * (0.36 + 0.08 * random.nextDouble()));
        values[l][b][cb[2]] = round(modeValue * (0.36 + 0.08 * random.nextDouble()));
        spread += round(modeValue);
        pairs++;
      }
      for (int m = 0; m < values[l].length; m++) {
        for (int c = 0; c < values[l][m].length; c++) {
          if (!paired[m]) {
            values[l][m][c] = round(random.nextGaussian());
          }
          costs[l][m][c] = round(10 * random.nextDouble());
        }
        if (!paired[m]) {
          double largest = Double.NEGATIVE_INFINITY;
          for (double v : values[l][m]) {
            largest = Math.max(largest, v);
          }
          spread += Math.max(0, largest);
        }
      }
    }
    if (pairs == 0) {
      throw new IllegalArgumentException(
          "space '"
              + space.name()
              + "' has no layer with two variables of at least 3 choices: a deceptive landscape "
              + "needs one");
    }
    double base = -Math.ceil(10 + spread);
    long noiseSeed = random.nextLong();
    return new Landscape(
        space, base, 100.0, noiseSigma + 0.0, noiseSeed, values, costs, interactions);
  }

  /** Three distinct choices out of {@code count} (at least 3), uniformly at random. */
  private static int[] threeChoices(SplitMix64 random, int count) {
    int first = random.nextInt(count);
    int second = (first + 1 + random.nextInt(count - 1)) % count;
    int third;
    do {
      third = random.nextInt(count);
    } while (third == first || third == second);
    return new int[] {first, second, third};
  }

  private static double round(double x) {
    return Math.round(x * 1000) / 1000.0 + 0.0;
  }
}
