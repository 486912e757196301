package org.fpnas.core;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The rules every search space obeys, shared by the constructors (which throw
 * {@link IllegalArgumentException}) and the parser (which adds the file and the line).
 */
final class SpaceRules {
  /**
   * Layer and variable names: letters, digits, '_' and '-'. Landscape files refer to a choice
   * as {@code layer.variable=choice}, so names must not contain '.' or '='.
   */
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_-]*");

  /** The fixed per-layer attributes a cost model may use, in the order they are written. */
  static final List<String> LAYER_ATTRIBUTES = List.of("stride", "stage", "channels");

  /** The largest joint logit vector of one layer; bigger layers need the factorized form. */
  static final int MAX_JOINT_SIZE = 1 << 24;

  private SpaceRules() {}

  /** Null when the name is fine, else the problem. */
  static String nameProblem(String what, String name) {
    if (name == null || name.isEmpty()) {
      return what + " name must not be empty";
    }
    if (!NAME.matcher(name).matches()) {
      return what + " name '" + name
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
        return "choice '" + choice.strip() + "' of variable '" + variable
            + "' holds a control character";
      }
    }
    return null;
  }

  /** Null when the attribute value is fine, else the problem. */
  static String attributeProblem(String attribute, int value, String layer) {
    switch (attribute) {
      case "stride":
        return value == 1 || value == 2 ? null
            : "stride of layer '" + layer + "' must be 1 or 2, got " + value;
      case "stage":
        return value >= 0 ? null
            : "stage of layer '" + layer + "' must be 0 or more, got " + value;
      case "channels":
        return value >= 1 ? null
            : "channels of layer '" + layer + "' must be positive, got " + value;
      default:
        return "unknown attribute '" + attribute + "' of layer '" + layer + "' (allowed: "
            + String.join(", ", LAYER_ATTRIBUTES) + ")";
    }
  }

  static void require(String problem) {
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }
}
