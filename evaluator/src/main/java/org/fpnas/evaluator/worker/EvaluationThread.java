package org.fpnas.evaluator.worker;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread a worker evaluates its samples on, one at a time, so that the polling thread stays
 * free while an evaluation runs: to renew the locks of what it holds, and to give a sample up at
 * the time limit. An evaluation given up is interrupted. One that does not end within a grace
 * period after its interrupt is left to run out on its thread, its result discarded ({@link
 * Claim}), and the samples that follow are evaluated on a new thread, so that one runaway
 * evaluation does not take the worker with it.
 */
public final class EvaluationThread implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EvaluationThread.class);

  private final String name;
  private final Supplier<Runnable> abandoning;
  private ExecutorService executor;
  private int threads;

  /**
   * @param name the name of the thread (and of the threads that replace it)
   * @param abandoning called on the polling thread when an evaluation is left to run out, so that
   *     the samples that follow use nothing it still uses (the worker's evaluator instances); what
   *     it returns runs once that evaluation has ended (closing them)
   */
  public EvaluationThread(String name, Supplier<Runnable> abandoning) {
    this.name = name;
    this.abandoning = abandoning;
    this.executor = newExecutor();
  }

  /**
   * Starts an evaluation.
   *
   * @param evaluation evaluates the sample, publishes its result if it still may ({@link Claim})
   *     and says whether the sample is settled
   * @param failed publishes the FAILED result of a sample given up at the time limit
   * @param grace how long an interrupted evaluation has to end before it is left to run out
   */
  public Running start(Function<Claim, Boolean> evaluation, Runnable failed, Duration grace) {
    Claim claim = new Claim();
    return new Running(executor.submit(() -> evaluation.apply(claim)), claim, failed, grace);
  }

  /** One evaluation on the thread. */
  public final class Running implements EvaluationWatch.Evaluation {
    private final Future<Boolean> outcome;
    private final Claim claim;
    private final Runnable failed;
    private final Duration grace;

    private Running(Future<Boolean> outcome, Claim claim, Runnable failed, Duration grace) {
      this.outcome = outcome;
      this.claim = claim;
      this.failed = failed;
      this.grace = grace;
    }

    @Override
    public Boolean await(long ms) throws InterruptedException, ExecutionException {
      try {
        return outcome.get(ms, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        return null;
      }
    }

    @Override
    public void stop() {
      outcome.cancel(true);
    }

    @Override
    public void giveUp() throws InterruptedException {
      boolean ours = claim.take();
      outcome.cancel(true);
      if (ours) {
        failed.run();
      }
      awaitFree();
    }

    /**
     * Waits for the thread to be free: a marker queued behind the interrupted evaluation runs once
     * it has ended (or at once when it never started).
     */
    private void awaitFree() throws InterruptedException {
      ExecutorService current = executor;
      Future<?> free = current.submit(() -> {});
      try {
        free.get(grace.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        abandon(current);
      } catch (ExecutionException e) {
        throw new IllegalStateException("an empty task failed", e.getCause());
      }
    }
  }

  private void abandon(ExecutorService stuck) {
    LOG.warn(
        "{}: an evaluation given up at the time limit did not end on its interrupt; it is left to"
            + " run out on its own thread and the next samples are evaluated on a new one",
        name);
    Runnable cleanUp = abandoning.get();
    executor = newExecutor();
    stuck.execute(cleanUp);
    stuck.shutdown();
  }

  private ExecutorService newExecutor() {
    String threadName = threads++ == 0 ? name : name + "-" + threads;
    return Executors.newSingleThreadExecutor(
        r -> {
          Thread t = new Thread(r, threadName);
          // A runaway evaluation must not keep the process from exiting.
          t.setDaemon(true);
          return t;
        });
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
