package org.fpnas.evaluator.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Giving an evaluation up on the evaluation thread: one that ends on its interrupt frees the
 * thread, one that does not is left to run out while the next sample gets a new thread; either way
 * only one of it and the give-up publishes a result.
 */
@Timeout(30)
class EvaluationThreadTest {
  private static final Duration LONG = Duration.ofSeconds(20);

  @Test
  void anEvaluationThatEndsOnItsInterruptLeavesTheResultToTheGiveUp() throws Exception {
    AtomicInteger abandoned = new AtomicInteger();
    try (EvaluationThread thread =
        new EvaluationThread(
            "t",
            () -> {
              abandoned.incrementAndGet();
              return () -> {};
            })) {
      CountDownLatch started = new CountDownLatch(1);
      CompletableFuture<Boolean> published = new CompletableFuture<>();
      CompletableFuture<String> on = new CompletableFuture<>();
      AtomicInteger failed = new AtomicInteger();
      EvaluationThread.Running running =
          thread.start(
              claim -> {
                on.complete(Thread.currentThread().getName());
                started.countDown();
                try {
                  new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                published.complete(claim.take());
                return true;
              },
              failed::incrementAndGet,
              LONG);
      assertTrue(started.await(10, TimeUnit.SECONDS));
      assertNull(running.await(0), "still running");
      running.giveUp();
      assertEquals(1, failed.get(), "the give-up published the FAILED result");
      assertFalse(published.get(10, TimeUnit.SECONDS), "the evaluation published nothing");
      assertEquals(0, abandoned.get());
      CompletableFuture<String> next = new CompletableFuture<>();
      assertTrue(
          thread
              .start(
                  claim -> {
                    next.complete(Thread.currentThread().getName());
                    return claim.take();
                  },
                  failed::incrementAndGet,
                  LONG)
              .await(10_000));
      assertEquals(on.get(), next.get(), "the thread was free again");
    }
  }

  @Test
  void anEvaluationThatIgnoresItsInterruptIsLeftToRunOutOnItsThread() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch cleanedUp = new CountDownLatch(1);
    AtomicInteger abandoned = new AtomicInteger();
    try (EvaluationThread thread =
        new EvaluationThread(
            "t",
            () -> {
              abandoned.incrementAndGet();
              return cleanedUp::countDown;
            })) {
      CountDownLatch started = new CountDownLatch(1);
      CompletableFuture<String> on = new CompletableFuture<>();
      CompletableFuture<Boolean> published = new CompletableFuture<>();
      AtomicInteger failed = new AtomicInteger();
      EvaluationThread.Running runaway =
          thread.start(
              claim -> {
                on.complete(Thread.currentThread().getName());
                started.countDown();
                while (true) {
                  try {
                    release.await();
                    break;
                  } catch (InterruptedException ignored) {
                    // a runaway: deaf to its interrupt
                  }
                }
                published.complete(claim.take());
                return true;
              },
              failed::incrementAndGet,
              Duration.ZERO);
      assertTrue(started.await(10, TimeUnit.SECONDS));
      runaway.giveUp();
      assertEquals(1, failed.get());
      assertEquals(1, abandoned.get(), "its evaluators were left to it");
      CompletableFuture<String> next = new CompletableFuture<>();
      assertTrue(
          thread
              .start(
                  claim -> {
                    next.complete(Thread.currentThread().getName());
                    return claim.take();
                  },
                  failed::incrementAndGet,
                  LONG)
              .await(10_000),
          "the next sample is evaluated while the runaway still runs");
      assertNotEquals(on.get(), next.get());
      assertEquals(1, cleanedUp.getCount(), "nothing closed under the runaway");
      release.countDown();
      assertFalse(published.get(10, TimeUnit.SECONDS), "its result is discarded");
      assertTrue(cleanedUp.await(10, TimeUnit.SECONDS), "its evaluators closed once it ended");
    }
  }
}
