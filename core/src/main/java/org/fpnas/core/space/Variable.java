package org.fpnas.core.space;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One searchable variable of a layer (kernel size, expansion, nonlinearity, ...) and its choices,
 * kept as the strings written in the space file ("3", "relu").
 *
 * @param name the variable's name, unique within its layer
 * @param choices the choices, at least one, no duplicates; a choice's index is its position
 */
public record Variable(String name, List<String> choices) {
  /** Validates and copies. */
  public Variable {
    SpaceRules.require(SpaceRules.nameProblem("variable", name));
    Objects.requireNonNull(choices, "choices");
    if (choices.isEmpty()) {
      throw new IllegalArgumentException("variable '" + name + "' has no choices");
    }
    Set<String> seen = new HashSet<>();
    for (String choice : choices) {
      SpaceRules.require(SpaceRules.choiceProblem(choice, name));
      if (!seen.add(choice)) {
        throw new IllegalArgumentException(
            "duplicate choice '" + choice + "' in variable '" + name + "'");
      }
    }
    choices = List.copyOf(choices);
  }

  /** Convenience: {@code Variable.of("kernel", "3", "5", "7")}. */
  public static Variable of(String name, String... choices) {
    return new Variable(name, List.of(choices));
  }

  /** The number of choices. */
  public int size() {
    return choices.size();
  }

  /** The index of a choice, or -1 when the variable has no such choice. */
  public int indexOf(String choice) {
    return choices.indexOf(choice);
  }
}
