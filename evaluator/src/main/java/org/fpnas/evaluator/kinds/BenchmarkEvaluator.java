package org.fpnas.evaluator.kinds;

import java.util.LinkedHashMap;
import java.util.Map;
import org.fpnas.core.landscape.Landscape;
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
    if (request.landscape() == null || request.landscape().isBlank()) {
      throw new IllegalArgumentException(
          "search " + request.searchId() + " has no landscape; the benchmark evaluator needs one");
    }
    Landscape landscape =
        landscapes.computeIfAbsent(
            request.searchId(),
            id ->
                Landscape.parse(request.landscape(), "landscape of search " + id, request.space()));
    long simulatedMs = simulatedMs(request.settings());
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

  static long simulatedMs(Map<String, String> settings) {
    String value = settings.getOrDefault(SIMULATED_MS, "0");
    try {
      long ms = Long.parseLong(value.trim());
      if (ms < 0) {
        throw new NumberFormatException();
      }
      return ms;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "evaluator setting "
              + SIMULATED_MS
              + " must be a whole number of milliseconds >= 0, got '"
              + value
              + "'");
    }
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
  }
}
