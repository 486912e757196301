package org.fpnas.core.settings;

import java.util.Collections;
import java.util.Map;

/**
 * Settings as a {@link SettingsParser} read them: every setting's value, typed, and its canonical
 * text. Immutable.
 */
public final class SettingValues {
  private final SettingsParser parser;
  private final Map<String, Object> values;
  private final Map<String, String> canonical;

  SettingValues(SettingsParser parser, Map<String, Object> values, Map<String, String> canonical) {
    this.parser = parser;
    this.values = Collections.unmodifiableMap(values);
    this.canonical = Collections.unmodifiableMap(canonical);
  }

  /**
   * The setting's value; {@code null} for an unset optional one.
   *
   * @throws IllegalArgumentException for a setting that is not one of the parser's
   */
  @SuppressWarnings("unchecked")
  public <T> T get(Setting<T> setting) {
    if (!parser.has(setting)) {
      throw new IllegalArgumentException("not a setting of this parser: " + setting);
    }
    return (T) values.get(setting.name());
  }

  /**
   * Every setting's canonical text, in the parser's order: whole numbers in decimal, numbers as
   * {@link Double#toString(double)} writes them (so that reading them back is exact), an unset
   * optional setting as "".
   */
  public Map<String, String> asText() {
    return canonical;
  }

  @Override
  public String toString() {
    return canonical.toString();
  }
}
