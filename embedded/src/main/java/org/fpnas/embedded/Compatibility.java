package org.fpnas.embedded;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/** A subject's compatibility level, checked with Avro's own {@link SchemaCompatibility}. */
enum Compatibility {
  NONE(false, false, false),
  BACKWARD(true, false, false),
  BACKWARD_TRANSITIVE(true, false, true),
  FORWARD(false, true, false),
  FORWARD_TRANSITIVE(false, true, true),
  FULL(true, true, false),
  FULL_TRANSITIVE(true, true, true);

  static final String VALID_VALUES =
      "none, backward, forward, full, backward_transitive, forward_transitive, "
          + "and full_transitive";

  private final boolean backward;
  private final boolean forward;
  private final boolean transitive;

  Compatibility(boolean backward, boolean forward, boolean transitive) {
    this.backward = backward;
    this.forward = forward;
    this.transitive = transitive;
  }

  static Optional<Compatibility> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(valueOf(text.trim().toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * Checks a candidate against the registered versions (oldest first): only the latest unless the
   * level is transitive. Returns one message per incompatibility; empty means compatible.
   */
  List<String> check(Schema candidate, List<Schema> versionsOldestFirst) {
    if (versionsOldestFirst.isEmpty()) {
      return List.of();
    }
    List<Schema> against =
        transitive
            ? versionsOldestFirst
            : List.of(versionsOldestFirst.get(versionsOldestFirst.size() - 1));
    return checkEach(candidate, against);
  }

  /**
   * Checks a candidate against each given schema in this level's direction(s), ignoring
   * transitivity.
   */
  List<String> checkEach(Schema candidate, List<Schema> against) {
    List<String> messages = new ArrayList<>();
    for (Schema existing : against) {
      if (backward) {
        // BACKWARD: a consumer on the new schema reads data written with the existing one.
        describe(
            SchemaCompatibility.checkReaderWriterCompatibility(candidate, existing),
            "the new schema cannot read data written with an existing schema",
            messages);
      }
      if (forward) {
        // FORWARD: a consumer on the existing schema reads data written with the new one.
        describe(
            SchemaCompatibility.checkReaderWriterCompatibility(existing, candidate),
            "an existing schema cannot read data written with the new schema",
            messages);
      }
    }
    return messages;
  }

  private static void describe(
      SchemaPairCompatibility result, String direction, List<String> messages) {
    for (Incompatibility incompatibility : result.getResult().getIncompatibilities()) {
      messages.add(
          "{errorType:'"
              + incompatibility.getType()
              + "', description:'"
              + direction
              + ": "
              + incompatibility.getMessage()
              + "', location:'"
              + incompatibility.getLocation()
              + "'}");
    }
  }
}
