package org.fpnas.controller.aggregator;

import java.time.Duration;

/**
 * How long an iteration may wait for its results: after {@code deadline} its missing samples are
 * dispatched again (attempt + 1); after {@code maxAttempts} dispatches it closes with the results
 * it has, if there are at least kMin of them.
 */
public record Deadlines(Duration deadline, int maxAttempts, Duration checkInterval) {
  /** Ten minutes per attempt, three attempts, checked every second. */
  public static final Deadlines DEFAULT =
      new Deadlines(Duration.ofMinutes(10), 3, Duration.ofSeconds(1));

  public Deadlines {
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("iteration deadline must be positive, got " + deadline);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("max attempts must be at least 1, got " + maxAttempts);
    }
    if (checkInterval.isNegative() || checkInterval.isZero()) {
      throw new IllegalArgumentException(
          "deadline check interval must be positive, got " + checkInterval);
    }
  }
}
