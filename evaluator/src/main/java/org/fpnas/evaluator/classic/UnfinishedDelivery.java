package org.fpnas.evaluator.classic;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A sample of a partition that an evaluator began and did not finish, kept in the metadata of the
 * partition's committed offset: the classic group has no delivery count of its own, and the commit
 * is what the partition's next owner reads. {@code deliveries} counts the evaluators that began it,
 * this one included.
 */
record UnfinishedDelivery(long offset, int deliveries) {
  private static final Pattern FORMAT =
      Pattern.compile("evaluating offset (\\d+), delivery (\\d+)");

  UnfinishedDelivery {
    if (offset < 0 || deliveries < 1) {
      throw new IllegalArgumentException(
          "an unfinished delivery needs an offset >= 0 and a delivery >= 1, got "
              + offset
              + " and "
              + deliveries);
    }
  }

  String metadata() {
    return "evaluating offset " + offset + ", delivery " + deliveries;
  }

  /** What a commit's metadata says; empty for none, or for metadata written by anything else. */
  static Optional<UnfinishedDelivery> parse(String metadata) {
    Matcher m = FORMAT.matcher(metadata == null ? "" : metadata);
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new UnfinishedDelivery(Long.parseLong(m.group(1)), Integer.parseInt(m.group(2))));
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // out of range: not a mark this class wrote
    }
  }
}
