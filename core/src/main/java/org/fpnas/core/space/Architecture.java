package org.fpnas.core.space;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fpnas.core.settings.Decimal;

/**
 * One architecture: a choice index per variable per layer ({@code choice(l, m)} indexes the choices
 * of variable {@code m} of layer {@code l}). Immutable.
 *
 * <p>Its stable string form lists the layers separated by '|' and each layer's choices separated by
 * '.', e.g. {@code 0.1.2|1.0.0}; {@link #parse} reads it back.
 */
public final class Architecture {
  private final int[][] choices;
  private final int hash;

  private Architecture(int[][] choices) {
    this.choices = choices;
    this.hash = Arrays.deepHashCode(choices);
  }

  /** An architecture from its choice indices (copied); every layer needs at least one. */
  public static Architecture of(int[][] choices) {
    if (choices == null || choices.length == 0) {
      throw new IllegalArgumentException("an architecture needs at least one layer");
    }
    int[][] copy = new int[choices.length][];
    for (int l = 0; l < choices.length; l++) {
      if (choices[l] == null || choices[l].length == 0) {
        throw new IllegalArgumentException("layer " + l + " of the architecture has no choices");
      }
      for (int m = 0; m < choices[l].length; m++) {
        if (choices[l][m] < 0) {
          throw new IllegalArgumentException(
              "choice of variable "
                  + m
                  + " of layer "
                  + l
                  + " must not be negative, got "
                  + choices[l][m]);
        }
      }
      copy[l] = choices[l].clone();
    }
    return new Architecture(copy);
  }

  /**
   * Reads the string form, e.g. {@code 0.1.2|1.0.0}.
   *
   * @throws IllegalArgumentException when the text is not in that form
   */
  public static Architecture parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty architecture string");
    }
    String[] layers = text.strip().split("\\|", -1);
    int[][] choices = new int[layers.length][];
    for (int l = 0; l < layers.length; l++) {
      String[] parts = layers[l].split("\\.", -1);
      choices[l] = new int[parts.length];
      for (int m = 0; m < parts.length; m++) {
        Integer value =
            parts[m].isEmpty() || !parts[m].chars().allMatch(Character::isDigit)
                ? null
                : Decimal.parseInt(parts[m]);
        if (value == null) {
          throw new IllegalArgumentException(
              "architecture '"
                  + text
                  + "': layer "
                  + l
                  + " has '"
                  + parts[m]
                  + "' where a choice index was expected"
                  + " (form: 0.1.2|1.0.0)");
        }
        choices[l][m] = value;
      }
    }
    return new Architecture(choices);
  }

  /** The choice index of variable {@code variable} of layer {@code layer}. */
  public int choice(int layer, int variable) {
    return choices[layer][variable];
  }

  /** A copy of all choice indices. */
  public int[][] choices() {
    int[][] copy = new int[choices.length][];
    for (int l = 0; l < choices.length; l++) {
      copy[l] = choices[l].clone();
    }
    return copy;
  }

  /** The number of layers. */
  public int layerCount() {
    return choices.length;
  }

  /** The number of variables of layer {@code layer}. */
  public int variableCount(int layer) {
    return choices[layer].length;
  }

  /**
   * Checks that this architecture belongs to the space.
   *
   * @throws IllegalArgumentException naming the layer, the variable and the value that do not fit
   */
  public void validate(SearchSpace space) {
    if (choices.length != space.layerCount()) {
      throw new IllegalArgumentException(
          "architecture "
              + this
              + " has "
              + choices.length
              + " layers, space '"
              + space.name()
              + "' has "
              + space.layerCount());
    }
    for (int l = 0; l < choices.length; l++) {
      Layer layer = space.layer(l);
      if (choices[l].length != layer.variables().size()) {
        throw new IllegalArgumentException(
            "architecture "
                + this
                + " has "
                + choices[l].length
                + " variables in layer '"
                + layer.name()
                + "', the space has "
                + layer.variables().size());
      }
      for (int m = 0; m < choices[l].length; m++) {
        Variable variable = layer.variables().get(m);
        if (choices[l][m] >= variable.size()) {
          throw new IllegalArgumentException(
              "architecture "
                  + this
                  + ": choice "
                  + choices[l][m]
                  + " of variable '"
                  + variable.name()
                  + "' of layer '"
                  + layer.name()
                  + "' is out of range (it has "
                  + variable.size()
                  + " choices: 0.."
                  + (variable.size() - 1)
                  + ")");
        }
      }
    }
  }

  /** The chosen values by name: layer name to variable name to choice, in space order. */
  public Map<String, Map<String, String>> describe(SearchSpace space) {
    validate(space);
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    for (int l = 0; l < choices.length; l++) {
      Layer layer = space.layer(l);
      Map<String, String> values = new LinkedHashMap<>();
      for (int m = 0; m < choices[l].length; m++) {
        Variable variable = layer.variables().get(m);
        values.put(variable.name(), variable.choices().get(choices[l][m]));
      }
      out.put(layer.name(), Collections.unmodifiableMap(values));
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * The chosen values as JSON, {@code {"b1":{"kernel":"3","act":"relu"},...}}: the {@link
   * #describe} map.
   */
  public String toJson(SearchSpace space) {
    Map<String, Map<String, String>> described = describe(space);
    return Json.write(
        out -> {
          out.writeStartObject();
          for (Map.Entry<String, Map<String, String>> layer : described.entrySet()) {
            out.writeObjectFieldStart(layer.getKey());
            for (Map.Entry<String, String> value : layer.getValue().entrySet()) {
              out.writeStringField(value.getKey(), value.getValue());
            }
            out.writeEndObject();
          }
          out.writeEndObject();
        });
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Architecture other
        && hash == other.hash
        && Arrays.deepEquals(choices, other.choices);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    for (int l = 0; l < choices.length; l++) {
      if (l > 0) {
        out.append('|');
      }
      for (int m = 0; m < choices[l].length; m++) {
        if (m > 0) {
          out.append('.');
        }
        out.append(choices[l][m]);
      }
    }
    return out.toString();
  }
}
