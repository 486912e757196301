package org.fpnas.evaluator.djl;

import ai.djl.ndarray.index.NDIndex;
import java.util.ArrayList;
import java.util.List;

/**
 * The trainable parameter slices one forward pass used: exactly what the following update may
 * change.
 */
final class PathTrace {
  /** One slice of one parameter. */
  record Use(SharedParameter parameter, NDIndex slice) {}

  private final List<Use> uses = new ArrayList<>();

  void use(SharedParameter parameter, NDIndex slice) {
    for (Use u : uses) {
      if (u.parameter() == parameter) {
        throw new IllegalStateException(
            "parameter " + parameter.name() + " used twice in one path");
      }
    }
    uses.add(new Use(parameter, slice));
  }

  List<Use> uses() {
    return uses;
  }
}
