package org.fpnas.evaluator.kinds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.ServiceLoader;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.tabular.TabularBenchmark;
import org.fpnas.core.tabular.TabularBenchmarks;
import org.fpnas.evaluator.api.EvaluationRequest;
import org.fpnas.evaluator.api.Evaluator;
import org.fpnas.evaluator.api.EvaluatorProvider;
import org.fpnas.evaluator.api.Measurement;
import org.junit.jupiter.api.Test;

class TabularEvaluatorTest {
  @Test
  void looksUpTheSignalOfTheSamplesTrainingSeedAndNeverTheHeldOutMetric() throws Exception {
    TabularBenchmark nb201 = TabularBenchmarks.get("nasbench201-cifar10");
    Evaluator evaluator =
        ServiceLoader.load(EvaluatorProvider.class).stream()
            .map(ServiceLoader.Provider::get)
            .filter(p -> p.kind().equals("tabular"))
            .findFirst()
            .orElseThrow()
            .create(Map.of());
    Architecture best = nb201.architecture(nb201.bestRow());
    for (int index = 0; index < 6; index++) {
      Measurement m =
          evaluator.evaluate(
              new EvaluationRequest(
                  "s",
                  4,
                  index,
                  0,
                  best,
                  nb201.space(),
                  11,
                  Map.of("benchmark", "nasbench201-cifar10"),
                  null));
      int seed = nb201.trainingSeed(nb201.bestRow(), 11, 4, index);
      assertEquals(nb201.logLikelihood(nb201.bestRow(), seed), m.logLikelihood());
      assertEquals(nb201.query(best, 11, 4, index), m.logLikelihood());
      assertEquals(nb201.cost(nb201.bestRow()), m.cost());
      assertEquals(seed, m.metrics().get("trainingSeed"));
      assertTrue(
          !m.metrics().containsValue(nb201.heldOut(nb201.bestRow())),
          "no held-out value in " + m.metrics());
    }
  }
}
