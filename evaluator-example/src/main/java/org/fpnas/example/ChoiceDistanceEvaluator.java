package org.fpnas.example;

import java.util.Map;
import org.fpnas.core.space.Architecture;
import org.fpnas.evaluator.api.EvaluationRequest;
import org.fpnas.evaluator.api.Evaluator;
import org.fpnas.evaluator.api.EvaluatorProvider;
import org.fpnas.evaluator.api.Measurement;

/**
 * An evaluator of one's own, the smallest useful one: it scores an architecture by how far each of
 * its choices lies from a target choice index (the search's evaluator setting {@code target},
 * default 0), so the best architecture takes the target choice everywhere. A real evaluator trains
 * and validates a model here; everything else (queueing, results, retries) is the service's.
 */
public final class ChoiceDistanceEvaluator implements Evaluator {
  /** The kind a search names to be evaluated by this class: {@code --evaluator choice-distance}. */
  public static final String KIND = "choice-distance";

  @Override
  public Measurement evaluate(EvaluationRequest request) {
    int target = Integer.parseInt(request.settings().getOrDefault("target", "0").trim());
    Architecture architecture = request.architecture();
    double distance = 0;
    int choices = 0;
    for (int l = 0; l < architecture.layerCount(); l++) {
      for (int m = 0; m < architecture.variableCount(l); m++) {
        int limit = request.space().choiceCount(l, m) - 1;
        distance += Math.abs(architecture.choice(l, m) - Math.min(target, limit));
        choices += architecture.choice(l, m);
      }
    }
    // The log-likelihood falls with the distance; the cost is the sum of the choice indices.
    return new Measurement(-4.0 * distance, choices, Map.of("distance", distance));
  }

  /** What the evaluator service finds with {@code ServiceLoader} (see META-INF/services). */
  public static final class Provider implements EvaluatorProvider {
    @Override
    public String kind() {
      return KIND;
    }

    @Override
    public Evaluator create(Map<String, String> serviceSettings) {
      return new ChoiceDistanceEvaluator();
    }
  }
}
