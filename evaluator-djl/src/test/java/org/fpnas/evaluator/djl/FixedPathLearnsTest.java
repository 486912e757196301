package org.fpnas.evaluator.djl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.SearchSpace;
import org.fpnas.evaluator.api.Measurement;
import org.junit.jupiter.api.Test;

/**
 * A fixed path of the supernet, trained for a while through the evaluator after other paths shared
 * its weights, scores far above chance (10%) on held-out images: batch statistics at evaluation
 * keep batch normalization right across paths.
 */
class FixedPathLearnsTest {
  @Test
  void aTrainedPathScoresWellAboveChance() {
    SearchSpace space = Fixtures.fmnist();
    Architecture fixed = Fixtures.random(space, 11);
    Map<String, String> settings =
        Map.of(
            "trainSteps", "20", "batchSize", "64", "validationBatch", "500", "warmupSteps", "40");
    try (DjlEvaluator evaluator = DjlEvaluator.create(Map.of())) {
      Measurement last = null;
      for (int t = 0; t < 8; t++) {
        last = evaluator.evaluate(Fixtures.request(space, fixed, t, 0, settings));
      }
      double accuracy = last.metrics().get("validationAccuracy");
      assertTrue(accuracy > 0.6, "validation accuracy " + accuracy);
      // The summed log-likelihood of 500 images is far above chance's 500 * ln(0.1) = -1151.
      assertTrue(last.logLikelihood() > -600, "log-likelihood " + last.logLikelihood());
    }
  }
}
