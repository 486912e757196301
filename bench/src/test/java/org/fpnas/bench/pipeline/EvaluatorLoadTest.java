package org.fpnas.bench.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fpnas.bench.pipeline.EvaluatorLoad.Evaluation;
import org.junit.jupiter.api.Test;

class EvaluatorLoadTest {
  @Test
  void aGapRunsFromTheEndOfOneEvaluationToTheStartOfTheSameEvaluatorsNext() {
    // Given out of order and interleaved with another evaluator, whose own gaps count apart.
    List<Evaluation> evaluations =
        List.of(
            new Evaluation("a", 150, 200),
            new Evaluation("b", 0, 50),
            new Evaluation("a", 0, 50),
            new Evaluation("b", 60, 110),
            new Evaluation("a", 210, 260));
    double[] gaps = EvaluatorLoad.gapsMs(evaluations);
    Arrays.sort(gaps);
    // a: 50 → 150 and 200 → 210; b: 50 → 60. Nothing before a first or after a last evaluation.
    assertArrayEquals(new double[] {10, 10, 100}, gaps);
  }

  @Test
  void anEvaluationStartingBeforeThePreviousEndedIsNoGap() {
    assertArrayEquals(
        new double[] {0},
        EvaluatorLoad.gapsMs(List.of(new Evaluation("a", 0, 51), new Evaluation("a", 50, 100))));
  }

  @Test
  void theP99IsTakenOverEveryEvaluatorsGaps() {
    // 100 gaps of 1 ms on one evaluator and one of 1,000 ms on another: the p99 lies between.
    List<Evaluation> evaluations = new ArrayList<>();
    for (int i = 0; i <= 100; i++) {
      evaluations.add(new Evaluation("a", i * 11L, i * 11L + 10));
    }
    evaluations.add(new Evaluation("b", 0, 10));
    evaluations.add(new Evaluation("b", 1010, 1020));
    // 101 gaps, sorted: 100 × 1 then 1,000; rank 0.99 × 100 = 99 is the last 1.
    assertEquals(1.0, EvaluatorLoad.p99GapMs(evaluations), 1e-9);
    evaluations.add(new Evaluation("b", 2020, 2030));
    // 102 gaps: rank 0.99 × 101 = 99.99, between the last 1 and the first 1,000.
    double p99 = EvaluatorLoad.p99GapMs(evaluations);
    assertEquals(1 + 0.99 * 999, p99, 1e-9);
    assertTrue(Double.isNaN(EvaluatorLoad.p99GapMs(List.of(new Evaluation("a", 0, 10)))));
  }

  @Test
  void theBusiestEvaluatorIsComparedWithTheMeanOverThePoolIdleOnesIncluded() {
    List<Evaluation> evaluations =
        List.of(
            new Evaluation("a", 0, 1),
            new Evaluation("a", 1, 2),
            new Evaluation("a", 2, 3),
            new Evaluation("b", 0, 1));
    // 4 evaluations on 2 evaluators: mean 2, busiest 3.
    assertEquals(1.5, EvaluatorLoad.busiestOverMean(evaluations, 2), 1e-12);
    // On 4 evaluators, two of them idle: mean 1.
    assertEquals(3.0, EvaluatorLoad.busiestOverMean(evaluations, 4), 1e-12);
    assertTrue(Double.isNaN(EvaluatorLoad.busiestOverMean(List.of(), 4)));
    assertThrows(
        IllegalArgumentException.class, () -> EvaluatorLoad.busiestOverMean(evaluations, 1));
    assertThrows(
        IllegalArgumentException.class, () -> EvaluatorLoad.busiestOverMean(evaluations, 0));
  }
}
