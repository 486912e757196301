package org.fpnas.core.settings;

import java.util.regex.Pattern;

/**
 * Strict parsing of the decimal numbers written in files and settings.
 *
 * <p>{@link Double#parseDouble} alone also accepts "NaN", "Infinity", hex floats and a trailing 'd'
 * or 'f'; none of those belongs in a space, landscape or setting, so they are refused here.
 */
public final class Decimal {
  private static final Pattern NUMBER =
      Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
  private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");

  private Decimal() {}

  /** The finite double the text denotes, or null when it is not a plain finite decimal. */
  public static Double parseFinite(String text) {
    String s = text.strip();
    if (!NUMBER.matcher(s).matches()) {
      return null;
    }
    double value = Double.parseDouble(s);
    return Double.isFinite(value) ? value : null;
  }

  /** The long the text denotes, or null when it is not a whole number in range. */
  public static Long parseLong(String text) {
    String s = text.strip();
    if (!INTEGER.matcher(s).matches()) {
      return null;
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The int the text denotes, or null when it is not a whole number in range. */
  public static Integer parseInt(String text) {
    Long value = parseLong(text);
    return value == null || value != value.intValue() ? null : value.intValue();
  }
}
