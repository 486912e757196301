package org.fpnas.core.settings;

/**
 * The numbers a {@link Setting#number} takes: a lower and an upper bound, each inclusive or not; an
 * infinite bound is no bound.
 *
 * @param min the lower bound
 * @param minIncluded whether {@code min} itself is allowed
 * @param max the upper bound
 * @param maxIncluded whether {@code max} itself is allowed
 */
public record Range(double min, boolean minIncluded, double max, boolean maxIncluded) {
  /** Every finite number. */
  public static Range any() {
    return new Range(Double.NEGATIVE_INFINITY, false, Double.POSITIVE_INFINITY, false);
  }

  /** {@code x > min}. */
  public static Range above(double min) {
    return new Range(min, false, Double.POSITIVE_INFINITY, false);
  }

  /** {@code x >= min}. */
  public static Range atLeast(double min) {
    return new Range(min, true, Double.POSITIVE_INFINITY, false);
  }

  /** {@code min <= x < max}. */
  public static Range from(double min, double maxExcluded) {
    return new Range(min, true, maxExcluded, false);
  }

  /** {@code min <= x <= max}. */
  public static Range between(double min, double max) {
    return new Range(min, true, max, true);
  }

  /** The same lower bound, and {@code x <= max}. */
  public Range atMost(double max) {
    return new Range(min, minIncluded, max, true);
  }

  /** The same lower bound, and {@code x < max}. */
  public Range below(double max) {
    return new Range(min, minIncluded, max, false);
  }

  /** Whether the range holds the number. */
  public boolean contains(double x) {
    boolean aboveMin = minIncluded ? x >= min : x > min;
    boolean belowMax = maxIncluded ? x <= max : x < max;
    return aboveMin && belowMax;
  }

  /** The range in words after "a number", e.g. {@code " in [0, 1)"} or {@code " > 0"}. */
  String words() {
    boolean lower = min != Double.NEGATIVE_INFINITY;
    boolean upper = max != Double.POSITIVE_INFINITY;
    if (lower && upper) {
      return " in "
          + (minIncluded ? "[" : "(")
          + text(min)
          + ", "
          + text(max)
          + (maxIncluded ? "]" : ")");
    }
    if (lower) {
      return (minIncluded ? " >= " : " > ") + text(min);
    }
    if (upper) {
      return (maxIncluded ? " <= " : " < ") + text(max);
    }
    return "";
  }

  private static String text(double x) {
    return x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : Double.toString(x);
  }
}
