package org.fpnas.evaluator.api;

import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;

/** The evaluator kinds on the class path, found with {@link ServiceLoader}. */
public final class EvaluatorProviders {
  private EvaluatorProviders() {}

  /** Every provider on the class path by its kind (of two with one kind, the later one). */
  public static Map<String, EvaluatorProvider> onClassPath() {
    Map<String, EvaluatorProvider> byKind = new HashMap<>();
    for (EvaluatorProvider p : ServiceLoader.load(EvaluatorProvider.class)) {
      byKind.put(p.kind(), p);
    }
    return byKind;
  }

  /**
   * Checks a search's evaluator settings with its kind's {@link
   * EvaluatorProvider#validateSearchSettings}. A kind that is not on this class path is checked by
   * the evaluators alone, on their machines.
   *
   * @throws IllegalArgumentException naming the setting, the value given and what is allowed
   */
  public static void validateSearchSettings(String kind, Map<String, String> searchSettings) {
    EvaluatorProvider provider = onClassPath().get(kind);
    if (provider != null) {
      provider.validateSearchSettings(Map.copyOf(searchSettings));
    }
  }
}
