package org.fpnas.evaluator.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.SearchSpace;
import org.fpnas.evaluator.api.Measurement;
import org.junit.jupiter.api.Test;

class HeldOutScoreTest {
  private final SearchSpace space = Fixtures.fmnist();
  private final Map<String, String> settings = new HashMap<>(Fixtures.SMALL);

  HeldOutScoreTest() {
    settings.put("validationSize", "200"); // three full batches of 64, the last 8 images unused
  }

  @Test
  void scoresEveryFullValidationBatchWithoutTrainingTheSupernet() {
    Architecture trained = Fixtures.random(space, 1);
    Architecture other = Fixtures.random(space, 2);
    try (DjlEvaluator evaluator = DjlEvaluator.create(Map.of())) {
      evaluator.evaluate(Fixtures.request(space, trained, 0, 0, settings));
      HeldOutScore first = evaluator.scoreHeldOut("test-search", other, 0);
      assertEquals(192, first.images());
      assertTrue(first.logLikelihood() < 0 && Double.isFinite(first.logLikelihood()), "" + first);
      assertEquals(first.logLikelihood() / 192, first.meanLogLikelihood(), 1e-12);
      assertEquals(
          first, evaluator.scoreHeldOut("test-search", other, 0), "scoring changed a weight");
      assertNotEquals(first, evaluator.scoreHeldOut("test-search", trained, 0));
      assertEquals(64, evaluator.scoreHeldOut("test-search", other, 1).images(), "one batch");
      Measurement next = evaluator.evaluate(Fixtures.request(space, other, 1, 0, settings));
      assertEquals(unscored(trained, other), next.logLikelihood(), "the next evaluation differs");
    }
  }

  /** The second evaluation's log-likelihood when nothing was scored in between. */
  private double unscored(Architecture trained, Architecture other) {
    try (DjlEvaluator evaluator = DjlEvaluator.create(Map.of())) {
      evaluator.evaluate(Fixtures.request(space, trained, 0, 0, settings));
      return evaluator.evaluate(Fixtures.request(space, other, 1, 0, settings)).logLikelihood();
    }
  }

  @Test
  void aSearchThisProcessHasNotEvaluatedIsAnError() {
    try (DjlEvaluator evaluator = DjlEvaluator.create(Map.of())) {
      String message =
          assertThrows(
                  IllegalStateException.class,
                  () -> evaluator.scoreHeldOut("never-seen", Fixtures.random(space, 1), 0))
              .getMessage();
      assertTrue(message.contains("no supernet of search never-seen"), message);
    }
  }
}
