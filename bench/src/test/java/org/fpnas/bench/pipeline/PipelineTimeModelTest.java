package org.fpnas.bench.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PipelineTimeModelTest {
  @Test
  void anIterationTakesCeilOfKOverNEvaluationTimes() {
    // 32 samples on 8 evaluators: 4 rounds; 16: 2; 9: 2 (one evaluator works a second round); 8: 1.
    assertEquals(
        (4 + 2 + 2 + 1) * 100.0, PipelineTimeModel.wallMs(new int[] {32, 16, 9, 8}, 8, 100));
  }

  @Test
  void moreEvaluatorsThanSamplesLeaveTheExtraOnesIdle() {
    assertEquals(3 * 50.0, PipelineTimeModel.wallMs(new int[] {32, 16, 8}, 32, 50));
    assertEquals(3 * 50.0, PipelineTimeModel.wallMs(new int[] {32, 16, 8}, 1000, 50));
  }

  @Test
  void oneEvaluatorEvaluatesEverySampleInTurn() {
    assertEquals(56 * 10.0, PipelineTimeModel.wallMs(new int[] {32, 16, 8}, 1, 10));
    assertEquals(56, PipelineTimeModel.samples(new int[] {32, 16, 8}));
  }

  @Test
  void controlTimeIsPaidOncePerIteration() {
    assertEquals(
        2 * 100.0 + 2 * 100.0 + 1 * 100.0 + 3 * 30.0,
        PipelineTimeModel.wallMs(new int[] {16, 16, 3}, 8, 100, 30),
        1e-9);
  }

  @Test
  void impossibleInputsAreRejected() {
    assertThrows(
        IllegalArgumentException.class, () -> PipelineTimeModel.wallMs(new int[] {8}, 0, 100));
    assertThrows(
        IllegalArgumentException.class, () -> PipelineTimeModel.wallMs(new int[] {0}, 4, 100));
    assertThrows(
        IllegalArgumentException.class, () -> PipelineTimeModel.wallMs(new int[] {8}, 4, -1));
  }
}
