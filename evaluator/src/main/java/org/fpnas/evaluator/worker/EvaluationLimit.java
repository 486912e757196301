package org.fpnas.evaluator.worker;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The longest one evaluation may run. A search's evaluator settings are its team's and the pool is
 * shared, so past the limit the worker gives the sample up with a FAILED result that names the
 * limit rather than hold an evaluator (and, in the share group, the record's lock) for as long as
 * the settings ask. Time comes from a ticker ({@link System#nanoTime} in the service) that a test
 * replaces.
 */
public final class EvaluationLimit {
  /**
   * The default. The largest settings a search may give the built-in kinds take up to about 10
   * minutes on an idle 2-core CPU (a DJL search's first evaluation, with its warm-up); a busy
   * machine needs some room above that.
   */
  public static final Duration DEFAULT = Duration.ofMinutes(15);

  private final Duration max;
  private final long maxNanos;
  private final LongSupplier nanoTime;

  /**
   * @param max the longest one evaluation may run
   * @param nanoTime the ticker evaluations are timed with
   * @throws IllegalArgumentException for a limit that is not positive
   */
  public EvaluationLimit(Duration max, LongSupplier nanoTime) {
    Objects.requireNonNull(max, "max");
    if (max.isNegative() || max.isZero() || max.compareTo(Duration.ofDays(365)) > 0) {
      throw new IllegalArgumentException(
          "the time limit on one evaluation must be positive and at most a year, got " + max);
    }
    this.max = max;
    this.maxNanos = max.toNanos();
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
  }

  /** The limit, timed with {@link System#nanoTime}. */
  public static EvaluationLimit of(Duration max) {
    return new EvaluationLimit(max, System::nanoTime);
  }

  /** The longest one evaluation may run. */
  public Duration max() {
    return max;
  }

  /** Starts timing one evaluation. */
  public Timer start() {
    return new Timer(nanoTime.getAsLong());
  }

  /**
   * What the FAILED result of a sample given up says: the limit, and what the team can change (the
   * limit is the evaluator operator's).
   */
  public String reason() {
    return "evaluation time limit reached: the evaluation ran longer than the evaluators' limit of "
        + words(max)
        + " on one evaluation and was stopped; it is not evaluated again (the limit is the"
        + " evaluator operator's, --max-evaluation-time; a search makes its evaluations shorter"
        + " with its evaluator settings, e.g. trainSteps, warmupSteps, batchSize, simulatedMs)";
  }

  static String words(Duration d) {
    if (d.toSecondsPart() == 0 && d.toNanosPart() == 0 && d.toMinutes() > 0) {
      return d.toMinutes() + " min";
    }
    if (d.toNanosPart() == 0) {
      return d.toSeconds() + " s";
    }
    return d.toMillis() + " ms";
  }

  @Override
  public String toString() {
    return words(max);
  }

  /** One evaluation's time against the limit. */
  public final class Timer {
    private final long start;

    private Timer(long start) {
      this.start = start;
    }

    /** How long the evaluation has run. */
    public Duration elapsed() {
      return Duration.ofNanos(nanoTime.getAsLong() - start);
    }

    /** Whether it has run for the limit. */
    public boolean passed() {
      return nanoTime.getAsLong() - start >= maxNanos;
    }

    /** Milliseconds until the limit, rounded up so that waiting them reaches it; 0 once passed. */
    public long remainingMs() {
      long left = maxNanos - (nanoTime.getAsLong() - start);
      return left <= 0 ? 0 : (left + 999_999) / 1_000_000;
    }
  }
}
