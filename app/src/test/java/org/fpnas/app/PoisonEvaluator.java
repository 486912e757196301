package org.fpnas.app;

import java.util.Map;
import org.fpnas.evaluator.api.EvaluationRequest;
import org.fpnas.evaluator.api.Evaluator;
import org.fpnas.evaluator.api.EvaluatorProvider;
import org.fpnas.evaluator.api.Measurement;

/**
 * Kind {@value #KIND}, for tests only: in a service given the setting {@value #ARMED}=true, the
 * sample of iteration 0, index 0 kills the evaluator's process (as a segfaulting native library or
 * the OOM killer would); every other sample scores 0. Any other service (another test's evaluators
 * on the shared broker, which read every team's samples) fails the sample instead of dying.
 */
public final class PoisonEvaluator implements Evaluator, EvaluatorProvider {
  static final String KIND = "poison";
  static final String ARMED = "poisonArmed";

  private final boolean armed;

  public PoisonEvaluator() {
    this(false);
  }

  private PoisonEvaluator(boolean armed) {
    this.armed = armed;
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public Evaluator create(Map<String, String> serviceSettings) {
    return new PoisonEvaluator(Boolean.parseBoolean(serviceSettings.get(ARMED)));
  }

  @Override
  public Measurement evaluate(EvaluationRequest request) {
    if (request.iteration() == 0 && request.index() == 0) {
      if (!armed) {
        throw new IllegalStateException(
            "poison sample in a service that is not armed to die of it");
      }
      Runtime.getRuntime().halt(137);
    }
    return new Measurement(0.0, 1.0);
  }
}
