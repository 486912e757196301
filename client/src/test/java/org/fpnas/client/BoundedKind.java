package org.fpnas.client;

import java.util.Map;
import org.fpnas.core.settings.Setting;
import org.fpnas.core.settings.SettingsParser;
import org.fpnas.evaluator.api.Evaluator;
import org.fpnas.evaluator.api.EvaluatorProvider;

/**
 * An evaluator kind on the client's test class path whose one setting has a bound, as the built-in
 * kinds bound what scales an evaluation: submit must refuse a value over it.
 */
public final class BoundedKind implements EvaluatorProvider {
  static final String KIND = "bounded-test";

  private static final Setting<Integer> STEPS = Setting.integer("steps", 1, 1, 100);
  private static final SettingsParser SETTINGS = SettingsParser.of("bounded-test setting", STEPS);

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public Evaluator create(Map<String, String> serviceSettings) {
    throw new UnsupportedOperationException("submit only checks settings");
  }

  @Override
  public void validateSearchSettings(Map<String, String> searchSettings) {
    SETTINGS.parse(searchSettings);
  }
}
