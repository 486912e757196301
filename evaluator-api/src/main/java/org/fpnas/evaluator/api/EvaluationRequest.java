package org.fpnas.evaluator.api;

import java.util.Map;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.SearchSpace;

/** One sample to evaluate, with what its search says about how. */
public record EvaluationRequest(
    String searchId,
    int iteration,
    int index,
    int attempt,
    Architecture architecture,
    SearchSpace space,
    long seed,
    Map<String, String> settings,
    String landscape) {

  public EvaluationRequest {
    settings = Map.copyOf(settings);
  }
}
