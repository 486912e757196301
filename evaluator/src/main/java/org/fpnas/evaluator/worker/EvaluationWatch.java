package org.fpnas.evaluator.worker;

import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * What a worker's polling thread does while a sample is evaluated on its evaluation thread: waits
 * for the outcome, renewing what the worker holds every so often (the share group's locks), until
 * the evaluation ends, the worker stops, or the evaluation reaches the time limit, where the sample
 * is given up and nothing is renewed any more. Apart from the workers, so that it runs on a ticker
 * and a wait that a test controls.
 */
public final class EvaluationWatch {
  private EvaluationWatch() {}

  /** How the watch ended. */
  public enum Outcome {
    /** The evaluation ended and settled the sample (its result, or a dead letter, is written). */
    SETTLED,
    /** The evaluation ended without settling the sample (it stopped first). */
    UNSETTLED,
    /** The worker stops: the evaluation was interrupted and the sample left to another. */
    STOPPED,
    /** The evaluation reached the time limit: it was interrupted and the sample given up. */
    GAVE_UP
  }

  /** The evaluation being watched. */
  public interface Evaluation {
    /**
     * Its outcome (true: the sample is settled) once it has ended, waiting at most {@code ms}
     * milliseconds for it; null while it runs.
     */
    Boolean await(long ms) throws InterruptedException, ExecutionException;

    /** Interrupts it because the worker stops; what it produces is discarded. */
    void stop();

    /**
     * Interrupts it at the time limit and settles the sample with a FAILED result that names the
     * limit, unless the evaluation published its own result first.
     */
    void giveUp() throws InterruptedException;
  }

  /**
   * Watches an evaluation until it ends, the worker stops or the limit passes.
   *
   * @param renewEveryMs how often to renew what the worker holds (Long.MAX_VALUE: nothing to renew)
   * @param renew renews it; never called once the limit has passed
   * @throws ExecutionException when the evaluation threw (the sample is left unsettled)
   */
  public static Outcome watch(
      Evaluation evaluation,
      EvaluationLimit.Timer timer,
      LongSupplier renewEveryMs,
      BooleanSupplier stopping,
      Runnable renew)
      throws InterruptedException, ExecutionException {
    while (true) {
      Boolean settled = evaluation.await(Math.min(renewEveryMs.getAsLong(), timer.remainingMs()));
      if (settled != null) {
        return settled ? Outcome.SETTLED : Outcome.UNSETTLED;
      }
      if (stopping.getAsBoolean()) {
        evaluation.stop();
        return Outcome.STOPPED;
      }
      if (timer.passed()) {
        evaluation.giveUp();
        return Outcome.GAVE_UP;
      }
      renew.run();
    }
  }
}
