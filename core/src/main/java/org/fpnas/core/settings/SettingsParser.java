package org.fpnas.core.settings;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Reads settings given as text ({@code name → value}) against a fixed list of {@link Setting}s:
 * every given name must be one of them, every value must fit its setting, and a setting not given
 * takes its default. Errors name what was wrong: an unknown name with the known ones, a bad value
 * with the setting, the value and what the setting takes.
 */
public final class SettingsParser {
  private final String what;
  private final Map<String, Setting<?>> settings;

  private SettingsParser(String what, List<Setting<?>> settings) {
    this.what = Objects.requireNonNull(what, "what");
    Map<String, Setting<?>> byName = new LinkedHashMap<>();
    for (Setting<?> s : settings) {
      if (byName.put(s.name(), s) != null) {
        throw new IllegalArgumentException("setting " + s.name() + " is listed twice");
      }
    }
    this.settings = Collections.unmodifiableMap(byName);
  }

  /**
   * A parser of these settings.
   *
   * @param what what each setting is, as errors name it, e.g. {@code hyperparameter} or {@code djl
   *     evaluator setting}
   */
  public static SettingsParser of(String what, List<Setting<?>> settings) {
    return new SettingsParser(what, List.copyOf(settings));
  }

  /** A parser of these settings (see {@link #of(String, List)}). */
  public static SettingsParser of(String what, Setting<?>... settings) {
    return of(what, List.of(settings));
  }

  /** The names of the settings, in their order. */
  public List<String> names() {
    return List.copyOf(settings.keySet());
  }

  /** Every setting's default as text, in their order. */
  public Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    settings.values().forEach(s -> d.put(s.name(), s.defaultText()));
    return Collections.unmodifiableMap(d);
  }

  /**
   * The given settings over the defaults.
   *
   * @throws IllegalArgumentException for an unknown name (the first in alphabetical order, whatever
   *     the map's order, naming the known ones) or a value that does not fit its setting
   */
  public SettingValues parse(Map<String, String> given) {
    Objects.requireNonNull(given, "given");
    requireKnown(given.keySet());
    Map<String, Object> values = new LinkedHashMap<>();
    Map<String, String> canonical = new LinkedHashMap<>();
    for (Setting<?> s : settings.values()) {
      String text = given.containsKey(s.name()) ? given.get(s.name()) : s.defaultText();
      values.put(s.name(), s.read(what, text));
      canonical.put(s.name(), canonical(s, values.get(s.name())));
    }
    return new SettingValues(this, values, canonical);
  }

  /**
   * Checks that every name is a known setting.
   *
   * @throws IllegalArgumentException naming the first unknown one in alphabetical order and the
   *     known ones
   */
  public void requireKnown(Iterable<String> names) {
    for (String name : new TreeSet<>(toList(names))) {
      if (!settings.containsKey(name)) {
        throw new IllegalArgumentException(
            "unknown " + what + " '" + name + "' (known: " + String.join(", ", names()) + ")");
      }
    }
  }

  /**
   * Checks a value given already typed (a record built in code) as if it had been given as text.
   *
   * @throws IllegalArgumentException for a setting that is not one of this parser's, or a value
   *     that does not fit it
   */
  public <T> T require(Setting<T> setting, T value) {
    if (!has(setting)) {
      throw new IllegalArgumentException("not a setting of this parser: " + setting);
    }
    setting.read(what, setting.write(value));
    return value;
  }

  /** The error of a value that breaks a rule across settings, worded like the parser's own. */
  public IllegalArgumentException invalid(String name, String rule, Object given) {
    return new IllegalArgumentException(
        what + " '" + name + "' must be " + rule + ", got '" + given + "'");
  }

  boolean has(Setting<?> setting) {
    return settings.get(setting.name()) == setting;
  }

  @SuppressWarnings("unchecked")
  private static <T> String canonical(Setting<T> setting, Object value) {
    return setting.write((T) value);
  }

  private static List<String> toList(Iterable<String> names) {
    List<String> list = new ArrayList<>();
    names.forEach(list::add);
    return list;
  }
}
