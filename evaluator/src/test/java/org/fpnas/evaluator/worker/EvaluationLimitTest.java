package org.fpnas.evaluator.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EvaluationLimitTest {
  private final AtomicLong now = new AtomicLong(123_456_789L);

  @Test
  void anEvaluationReachesTheLimitExactlyAtIt() {
    EvaluationLimit limit = new EvaluationLimit(Duration.ofSeconds(2), now::get);
    EvaluationLimit.Timer timer = limit.start();
    assertEquals(2000, timer.remainingMs());
    now.addAndGet(1_999_000_001L);
    assertFalse(timer.passed());
    assertEquals(1, timer.remainingMs(), "rounded up, so that waiting it reaches the limit");
    now.addAndGet(999_999L);
    assertTrue(timer.passed());
    assertEquals(0, timer.remainingMs());
    assertEquals(Duration.ofSeconds(2), timer.elapsed());
    now.addAndGet(5_000_000_000L);
    assertEquals(0, timer.remainingMs());
  }

  @Test
  void itsReasonNamesTheLimit() {
    assertTrue(
        EvaluationLimit.of(EvaluationLimit.DEFAULT)
            .reason()
            .startsWith(
                "evaluation time limit reached: the evaluation ran longer than the evaluators'"
                    + " limit of 15 min on one evaluation"));
    assertEquals("90 s", EvaluationLimit.words(Duration.ofSeconds(90)));
    assertEquals("2 min", EvaluationLimit.words(Duration.ofMinutes(2)));
    assertEquals("1500 ms", EvaluationLimit.words(Duration.ofMillis(1500)));
  }

  @Test
  void aLimitMustBePositive() {
    for (Duration bad : new Duration[] {Duration.ZERO, Duration.ofSeconds(-1)}) {
      assertThrows(IllegalArgumentException.class, () -> EvaluationLimit.of(bad));
    }
  }
}
