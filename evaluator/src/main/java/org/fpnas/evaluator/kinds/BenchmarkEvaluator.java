package org.fpnas.evaluator.kinds;

import java.util.LinkedHashMap;
import java.util.Map;
import org.fpnas.core.landscape.Landscape;
import org.fpnas.core.settings.Setting;
import org.fpnas.core.settings.SettingsParser;
import org.fpnas.evaluator.api.EvaluationRequest;
import org.fpnas.evaluator.api.Evaluator;
import org.fpnas.evaluator.api.EvaluatorProvider;
import org.fpnas.evaluator.api.Measurement;

/**
 * Scores architectures with the search's landscape file instead of training a network, so that
 * searches run and can be tested without a GPU. The setting {@code simulatedMs} makes each
 * evaluation take that long (sleeping, so that many evaluators fit on few cores).
 */
public final class BenchmarkEvaluator implements Evaluator {
  /** The kind name of this evaluator. */
  public static final String KIND = "benchmark";

  /** Search setting: simulated evaluation time in milliseconds. */
  public static final String SIMULATED_MS = "simulatedMs";

  /**
   * The longest simulated evaluation a search may ask for. The kind stands in for real evaluations
   * in tests and in measurements of the pipeline (at most a few hundred milliseconds there), and a
   * sleeping evaluator of a shared pool serves no other team: a minute is far above any such use
   * and far below the evaluators' time limit on one evaluation.
   */
  public static final long MAX_SIMULATED_MS = 60_000;

  private static final Setting<Long> SIMULATED =
      Setting.whole(SIMULATED_MS, 0, 0, MAX_SIMULATED_MS)
          .allowed("a whole number of milliseconds in [0, " + MAX_SIMULATED_MS + "]");

  private static final SettingsParser SETTINGS =
      SettingsParser.of("benchmark evaluator setting", SIMULATED);

  private final Map<String, Landscape> landscapes =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Landscape> eldest) {
          return size() > 64;
        }
      };

  @Override
  public Measurement evaluate(EvaluationRequest request) throws InterruptedException {
    long simulatedMs = simulatedMs(request.settings());
    if (request.landscape() == null || request.landscape().isBlank()) {
      throw new IllegalArgumentException(
          "search " + request.searchId() + " has no landscape; the benchmark evaluator needs one");
    }
    Landscape landscape =
        landscapes.computeIfAbsent(
            request.searchId(),
            id ->
                Landscape.parse(request.landscape(), "landscape of search " + id, request.space()));
    if (simulatedMs > 0) {
      Thread.sleep(simulatedMs);
    }
    double ll =
        landscape.logLikelihood(request.architecture(), request.iteration(), request.index());
    return new Measurement(
        ll,
        landscape.cost(request.architecture()),
        Map.of("meanLogLikelihood", landscape.meanLogLikelihood(request.architecture())));
  }

  /**
   * The search's simulated evaluation time.
   *
   * @throws IllegalArgumentException for an unknown setting, or a value that is not a whole number
   *     of milliseconds within {@link #MAX_SIMULATED_MS}, naming the setting, the value and the
   *     bound
   */
  static long simulatedMs(Map<String, String> settings) {
    return SETTINGS.parse(settings).get(SIMULATED);
  }

  /** The provider that the service finds with ServiceLoader. */
  public static final class Provider implements EvaluatorProvider {
    @Override
    public String kind() {
      return KIND;
    }

    @Override
    public Evaluator create(Map<String, String> serviceSettings) {
      return new BenchmarkEvaluator();
    }

    @Override
    public void validateSearchSettings(Map<String, String> searchSettings) {
      simulatedMs(searchSettings);
    }
  }
}
