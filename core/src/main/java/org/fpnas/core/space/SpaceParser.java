package org.fpnas.core.space;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a search space file (YAML or JSON) and checks it, naming the line of each problem. */
final class SpaceParser {
  static final List<String> TOP_KEYS = List.of("name", "network", "layers");
  static final List<String> NETWORK_KEYS = List.of("input", "stem", "head", "classes");
  static final List<String> INPUT_KEYS = List.of("height", "width", "channels");
  static final List<String> STEM_KEYS = List.of("channels", "stride", "kernel");
  static final List<String> HEAD_KEYS = List.of("channels");
  static final List<String> LAYER_KEYS =
      List.of("name", "variables", "stride", "stage", "channels");

  private SpaceParser() {}

  static SearchSpace parse(String text, String source) {
    Fields top =
        Fields.root(source, NodeReader.read(text, source), "the space").allowOnly(TOP_KEYS);
    String name = top.text("name");
    Network network = top.has("network") ? network(top.section("network")) : null;
    List<Layer> layers = layers(top);
    try {
      return network == null ? SearchSpace.of(name, layers) : SearchSpace.of(name, layers, network);
    } catch (IllegalArgumentException e) {
      // Only the whole-space checks are left here (the total stride against the input size).
      int line = top.has("network") ? top.required("network").line() : top.map.line;
      throw top.error(line, e.getMessage());
    }
  }

  private static Network network(Fields network) {
    network.allowOnly(NETWORK_KEYS);
    Fields input = network.section("input").allowOnly(INPUT_KEYS);
    int height = atLeast(input, "height", 1, "input height");
    int width = atLeast(input, "width", 1, "input width");
    int channels = atLeast(input, "channels", 1, "input channels");
    int classes = atLeast(network, "classes", 2, "classes");
    Fields stem = network.section("stem").allowOnly(STEM_KEYS);
    int stemChannels = atLeast(stem, "channels", 1, "stem channels");
    int stemStride = stem.integer("stride");
    if (stemStride != 1 && stemStride != 2) {
      throw stem.error(
          stem.required("stride").value().line, "stem stride must be 1 or 2, got " + stemStride);
    }
    int stemKernel = stem.integer("kernel", Network.DEFAULT_STEM_KERNEL);
    if (stemKernel < 1 || stemKernel % 2 == 0) {
      throw stem.error(
          stem.required("kernel").value().line,
          "stem kernel must be a positive odd number, got " + stemKernel);
    }
    int head = 0;
    if (network.has("head")) {
      head = atLeast(network.section("head").allowOnly(HEAD_KEYS), "channels", 1, "head channels");
    }
    return new Network(
        height, width, channels, classes, stemChannels, stemStride, stemKernel, head);
  }

  private static int atLeast(Fields fields, String key, int min, String what) {
    int value = fields.integer(key);
    if (value < min) {
      throw fields.error(
          fields.required(key).value().line,
          what + " must be " + (min == 1 ? "positive" : min + " or more") + ", got " + value);
    }
    return value;
  }

  private static List<Layer> layers(Fields top) {
    Node.ListNode list = top.list("layers");
    if (list.items.isEmpty()) {
      throw top.error(top.required("layers").line(), "the space has no layers");
    }
    List<Layer> layers = new ArrayList<>();
    Map<String, Integer> firstLine = new HashMap<>();
    for (int i = 0; i < list.items.size(); i++) {
      Fields raw = Fields.of(top.source, list.items.get(i), "layer #" + (i + 1));
      String name = raw.text("name");
      int nameLine = raw.required("name").value().line;
      String problem = SpaceRules.nameProblem("layer", name);
      if (problem != null) {
        throw raw.error(nameLine, problem);
      }
      Integer previous = firstLine.putIfAbsent(name, nameLine);
      if (previous != null) {
        throw raw.error(
            nameLine, "duplicate layer name '" + name + "' (first at line " + previous + ")");
      }
      Fields layer = Fields.of(top.source, raw.map, "layer '" + name + "'").allowOnly(LAYER_KEYS);
      layers.add(new Layer(name, variables(layer, name), attributes(layer, name)));
    }
    return layers;
  }

  private static Map<String, Integer> attributes(Fields layer, String name) {
    Map<String, Integer> attributes = new LinkedHashMap<>();
    for (String attribute : Layer.ATTRIBUTES) {
      if (layer.has(attribute)) {
        int value = layer.integer(attribute);
        String problem = SpaceRules.attributeProblem(attribute, value, name);
        if (problem != null) {
          throw layer.error(layer.required(attribute).value().line, problem);
        }
        attributes.put(attribute, value);
      }
    }
    return attributes;
  }

  private static List<Variable> variables(Fields layer, String layerName) {
    Node.Entry entry = layer.required("variables");
    if (!(entry.value() instanceof Node.MapNode map)) {
      throw layer.error(
          entry.line(),
          "'variables' of layer '"
              + layerName
              + "' must be a mapping of variable names to choice lists, got "
              + entry.value().kind());
    }
    if (map.entries.isEmpty()) {
      throw layer.error(entry.line(), "layer '" + layerName + "' has no variables");
    }
    List<Variable> variables = new ArrayList<>();
    Map<String, Integer> firstLine = new HashMap<>();
    for (Node.Entry variable : map.entries) {
      String name = variable.key();
      String problem = SpaceRules.nameProblem("variable", name);
      if (problem != null) {
        throw layer.error(variable.line(), problem + " (in layer '" + layerName + "')");
      }
      Integer previous = firstLine.putIfAbsent(name, variable.line());
      if (previous != null) {
        throw layer.error(
            variable.line(),
            "duplicate variable '"
                + name
                + "' in layer '"
                + layerName
                + "' (first at line "
                + previous
                + ")");
      }
      variables.add(new Variable(name, choices(layer, variable, layerName)));
    }
    return variables;
  }

  private static List<String> choices(Fields layer, Node.Entry variable, String layerName) {
    String where = "variable '" + variable.key() + "' of layer '" + layerName + "'";
    if (!(variable.value() instanceof Node.ListNode list)) {
      throw layer.error(
          variable.line(), where + " must be a list of choices, got " + variable.value().kind());
    }
    if (list.items.isEmpty()) {
      throw layer.error(variable.line(), where + " has no choices");
    }
    List<String> choices = new ArrayList<>();
    Map<String, Integer> firstLine = new HashMap<>();
    for (int c = 0; c < list.items.size(); c++) {
      Node item = list.items.get(c);
      if (!(item instanceof Node.ScalarNode scalar)) {
        throw layer.error(
            item.line,
            "choice #" + (c + 1) + " of " + where + " must be a single value, got " + item.kind());
      }
      String problem = SpaceRules.choiceProblem(scalar.text, variable.key());
      if (problem != null) {
        throw layer.error(item.line, problem + " of layer '" + layerName + "'");
      }
      Integer previous = firstLine.putIfAbsent(scalar.text, item.line);
      if (previous != null) {
        throw layer.error(item.line, "duplicate choice '" + scalar.text + "' in " + where);
      }
      choices.add(scalar.text);
    }
    return choices;
  }
}
