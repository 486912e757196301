package org.fpnas.core.space;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;

/**
 * One searchable layer (block) of a space: its variables, and optional fixed attributes that a cost
 * model reads ({@code stride} 1 or 2, {@code stage} 0 or more, fixed output {@code channels}).
 *
 * @param name the layer's name, unique within the space
 * @param variables the layer's variables, at least one, unique names, in declaration order
 * @param attributes fixed attributes by name (only those of {@link #ATTRIBUTES}); may be empty
 */
public record Layer(String name, List<Variable> variables, Map<String, Integer> attributes) {
  /** The names of the fixed attributes a layer may have, in the order they are written. */
  public static final List<String> ATTRIBUTES = SpaceRules.LAYER_ATTRIBUTES;

  /** Validates and copies; attributes are kept in the order of {@link #ATTRIBUTES}. */
  public Layer {
    SpaceRules.require(SpaceRules.nameProblem("layer", name));
    Objects.requireNonNull(variables, "variables");
    if (variables.isEmpty()) {
      throw new IllegalArgumentException("layer '" + name + "' has no variables");
    }
    Set<String> names = new HashSet<>();
    for (Variable variable : variables) {
      Objects.requireNonNull(variable, "variable");
      if (!names.add(variable.name())) {
        throw new IllegalArgumentException(
            "duplicate variable '" + variable.name() + "' in layer '" + name + "'");
      }
    }
    variables = List.copyOf(variables);
    Objects.requireNonNull(attributes, "attributes");
    for (Map.Entry<String, Integer> e : attributes.entrySet()) {
      Objects.requireNonNull(e.getValue(), "attribute value");
      SpaceRules.require(SpaceRules.attributeProblem(e.getKey(), e.getValue(), name));
    }
    Map<String, Integer> ordered = new LinkedHashMap<>();
    for (String attribute : ATTRIBUTES) {
      if (attributes.containsKey(attribute)) {
        ordered.put(attribute, attributes.get(attribute));
      }
    }
    attributes = Collections.unmodifiableMap(ordered);
  }

  /** A layer without fixed attributes. */
  public Layer(String name, List<Variable> variables) {
    this(name, variables, Map.of());
  }

  /** The stride of the layer: its {@code stride} attribute, 1 when it has none. */
  public int stride() {
    return attributes.getOrDefault("stride", 1);
  }

  /** A fixed attribute, or empty when the layer does not declare it. */
  public OptionalInt attribute(String attribute) {
    Integer value = attributes.get(attribute);
    return value == null ? OptionalInt.empty() : OptionalInt.of(value);
  }

  /** The variable with this name, or -1. */
  public int indexOf(String variable) {
    for (int m = 0; m < variables.size(); m++) {
      if (variables.get(m).name().equals(variable)) {
        return m;
      }
    }
    return -1;
  }

  /** The number of joint choices, the product of the variables' choice counts (saturating). */
  public long jointSize() {
    long product = 1;
    for (Variable v : variables) {
      product = SearchSpace.saturatingMultiply(product, v.size());
    }
    return product;
  }
}
