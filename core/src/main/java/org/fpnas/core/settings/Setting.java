package org.fpnas.core.settings;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * One setting: its name, its default as text, and how a value given as text is read and checked.
 * Immutable. A value is read from its text with surrounding blanks stripped; an {@link #optional()}
 * setting also takes blank text, meaning unset (its value is then {@code null}).
 *
 * @param <T> the type of the value
 */
public final class Setting<T> {
  private final String name;
  private final String defaultText;
  private final boolean optional;
  private final String allowed;
  private final Function<String, T> read;
  private final Function<T, String> write;

  private Setting(
      String name,
      String defaultText,
      boolean optional,
      String allowed,
      Function<String, T> read,
      Function<T, String> write) {
    this.name = Objects.requireNonNull(name, "name");
    this.defaultText = Objects.requireNonNull(defaultText, "defaultText");
    this.optional = optional;
    this.allowed = Objects.requireNonNull(allowed, "allowed");
    this.read = read;
    this.write = write;
  }

  /** A whole number in {@code [min, max]}, held as an int. */
  public static Setting<Integer> integer(String name, int defaultValue, int min, int max) {
    return integer(name, Integer.toString(defaultValue), min, max);
  }

  /** A whole number in {@code [min, max]}, held as an int, with its default as text. */
  public static Setting<Integer> integer(String name, String defaultText, int min, int max) {
    Setting<Long> whole = whole(name, defaultText, min, max);
    return new Setting<>(
        name,
        defaultText,
        false,
        whole.allowed,
        text -> {
          Long value = whole.read.apply(text);
          return value == null ? null : value.intValue();
        },
        String::valueOf);
  }

  /** A whole number in {@code [min, max]}, held as a long. */
  public static Setting<Long> whole(String name, long defaultValue, long min, long max) {
    return whole(name, Long.toString(defaultValue), min, max);
  }

  private static Setting<Long> whole(String name, String defaultText, long min, long max) {
    if (min > max) {
      throw new IllegalArgumentException("setting " + name + ": min " + min + " > max " + max);
    }
    String allowed = "a whole number" + wholeRange(min, max);
    return new Setting<>(
        name,
        defaultText,
        false,
        allowed,
        text -> {
          Long value = Decimal.parseLong(text);
          return value == null || value < min || value > max ? null : value;
        },
        String::valueOf);
  }

  /**
   * A finite decimal number in a range; the bounds are inclusive or not as {@code range} says. Its
   * canonical text is {@link Double#toString(double)}'s, so that reading it back is exact.
   */
  public static Setting<Double> number(String name, double defaultValue, Range range) {
    return number(name, Double.toString(defaultValue), range);
  }

  /** Like {@link #number(String, double, Range)}, with the default as text ("" for none). */
  public static Setting<Double> number(String name, String defaultText, Range range) {
    Objects.requireNonNull(range, "range");
    return new Setting<>(
        name,
        defaultText,
        false,
        "a number" + range.words(),
        text -> {
          Double value = Decimal.parseFinite(text);
          return value == null || !range.contains(value) ? null : value;
        },
        String::valueOf);
  }

  /** {@code true} or {@code false} (in any case). */
  public static Setting<Boolean> bool(String name, boolean defaultValue) {
    return new Setting<>(
        name,
        Boolean.toString(defaultValue),
        false,
        "true or false",
        text ->
            switch (text.toLowerCase(Locale.ROOT)) {
              case "true" -> Boolean.TRUE;
              case "false" -> Boolean.FALSE;
              default -> null;
            },
        String::valueOf);
  }

  /** Any text that is not blank. */
  public static Setting<String> text(String name, String defaultText) {
    return new Setting<>(name, defaultText, false, "a text", text -> text, text -> text);
  }

  /** One of the given words, exactly. */
  public static Setting<String> choice(String name, String defaultText, List<String> choices) {
    List<String> words = List.copyOf(choices);
    return new Setting<>(
        name,
        defaultText,
        false,
        "one of " + String.join(", ", words),
        text -> words.contains(text) ? text : null,
        text -> text);
  }

  /** The same setting, taking blank text too: unset, its value {@code null}. */
  public Setting<T> optional() {
    return new Setting<>(name, defaultText, true, allowed, read, write);
  }

  /** The same setting, saying what is allowed in these words (e.g. what 0 means). */
  public Setting<T> allowed(String words) {
    return new Setting<>(name, defaultText, optional, words, read, write);
  }

  /** The name. */
  public String name() {
    return name;
  }

  /** The default as text; blank for an optional setting that is unset by default. */
  public String defaultText() {
    return defaultText;
  }

  /** What the setting takes, in words, e.g. {@code a whole number >= 1}. */
  public String allowed() {
    return allowed + (optional ? ", or empty" : "");
  }

  /**
   * The value the text denotes.
   *
   * @param what what the setting is, for the message, e.g. {@code hyperparameter}
   * @throws IllegalArgumentException naming the setting, the text and what is allowed
   */
  public T read(String what, String text) {
    if (text == null) {
      throw bad(what, "null");
    }
    String stripped = text.strip();
    if (stripped.isEmpty()) {
      if (optional) {
        return null;
      }
      throw bad(what, text);
    }
    T value = read.apply(stripped);
    if (value == null) {
      throw bad(what, text);
    }
    return value;
  }

  /** The canonical text of a value ("" for an unset optional). */
  String write(T value) {
    return value == null ? "" : write.apply(value);
  }

  private IllegalArgumentException bad(String what, String given) {
    return new IllegalArgumentException(
        what + " '" + name + "' must be " + allowed() + ", got '" + given + "'");
  }

  private static String wholeRange(long min, long max) {
    boolean noMin = min == Long.MIN_VALUE || min == Integer.MIN_VALUE;
    boolean noMax = max == Long.MAX_VALUE || max == Integer.MAX_VALUE;
    if (noMin && noMax) {
      return "";
    }
    if (noMax) {
      return " >= " + min;
    }
    if (noMin) {
      return " <= " + max;
    }
    return " in [" + min + ", " + max + "]";
  }

  @Override
  public String toString() {
    return "Setting[" + name + ": " + allowed() + ", default '" + defaultText + "']";
  }
}
