package org.fpnas.core.space;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The rules every search space obeys, shared by the constructors (which throw {@link
 * IllegalArgumentException}) and the parser (which adds the file and the line).
 */
public final class SpaceRules {
  /**
   * Layer and variable names: letters, digits, '_' and '-'. Landscape files refer to a choice as
   * {@code layer.variable=choice}, so names must not contain '.' or '='.
   */
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_-]*");

  /** The fixed per-layer attributes a cost model may use, in the order they are written. */
  static final List<String> LAYER_ATTRIBUTES = List.of("stride", "stage", "channels");

  /**
   * The most joint logits a whole space may have (all layers together). A state holds three arrays
   * of this size (logits, two Adam moments) and an update a few more, so 2^21 doubles (16 MiB each)
   * keep one search's working set near 100 MiB; the old per-layer limit of 2^24 let a 20-layer
   * space ask for gigabytes.
   */
  static final int MAX_JOINT_PARAMETERS = 1 << 21;

  private SpaceRules() {}

  /** Null when the name is fine, else the problem. */
  static String nameProblem(String what, String name) {
    if (name == null || name.isEmpty()) {
      return what + " name must not be empty";
    }
    if (!NAME.matcher(name).matches()) {
      return what
          + " name '"
          + name
          + "' may only hold letters, digits, '_' and '-' (and not start with '-')";
    }
    return null;
  }

  /** Null when the choice is fine, else the problem. */
  static String choiceProblem(String choice, String variable) {
    if (choice == null) {
      return "null choice in variable '" + variable + "'";
    }
    if (choice.isBlank()) {
      return "empty choice in variable '" + variable + "'";
    }
    for (int i = 0; i < choice.length(); i++) {
      if (Character.isISOControl(choice.charAt(i))) {
        return "choice '"
            + choice.strip()
            + "' of variable '"
            + variable
            + "' holds a control character";
      }
    }
    return null;
  }

  /** Null when the attribute value is fine, else the problem. */
  static String attributeProblem(String attribute, int value, String layer) {
    switch (attribute) {
      case "stride":
        return value == 1 || value == 2
            ? null
            : "stride of layer '" + layer + "' must be 1 or 2, got " + value;
      case "stage":
        return value >= 0 ? null : "stage of layer '" + layer + "' must be 0 or more, got " + value;
      case "channels":
        return value >= 1
            ? null
            : "channels of layer '" + layer + "' must be positive, got " + value;
      default:
        return "unknown attribute '"
            + attribute
            + "' of layer '"
            + layer
            + "' (allowed: "
            + String.join(", ", LAYER_ATTRIBUTES)
            + ")";
    }
  }

  /**
   * Null when every layer of the space can be joint within {@link #MAX_JOINT_PARAMETERS}, else the
   * problem, naming the largest layer and its size.
   */
  public static String jointProblem(SearchSpace space) {
    long total = 0;
    int largest = 0;
    for (int l = 0; l < space.layerCount(); l++) {
      long size = space.layer(l).jointSize();
      total = total > Long.MAX_VALUE - size ? Long.MAX_VALUE : total + size;
      if (size > space.layer(largest).jointSize()) {
        largest = l;
      }
    }
    if (total <= MAX_JOINT_PARAMETERS) {
      return null;
    }
    Layer layer = space.layer(largest);
    return "a joint distribution over space '"
        + space.name()
        + "' needs "
        + total
        + " logits, more than the "
        + MAX_JOINT_PARAMETERS
        + " allowed; its largest layer '"
        + layer.name()
        + "' has "
        + layer.jointSize()
        + " joint choices. Keep the search"
        + " factorized (factorizedIterations > maxIterations, switchEntropyFraction unset) or split the"
        + " layer";
  }

  public static void require(String problem) {
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }
}
