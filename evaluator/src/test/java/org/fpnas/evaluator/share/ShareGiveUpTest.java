package org.fpnas.evaluator.share;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.fpnas.evaluator.worker.EvaluationLimit;
import org.fpnas.evaluator.worker.EvaluationWatch;
import org.fpnas.evaluator.worker.EvaluationWatch.Outcome;
import org.junit.jupiter.api.Test;

/**
 * The share worker's hold on a sample under evaluation, on a ticker of the test's own: the lock is
 * renewed while the evaluation runs, and only up to the time limit, where the sample is given up
 * (FAILED, REJECT) instead of being held for as long as the search's settings ask.
 */
class ShareGiveUpTest {
  private static final Duration LIMIT = Duration.ofMinutes(15);
  private static final long RENEW_MS = 10_000;

  private final AtomicLong now = new AtomicLong(42);
  private final EvaluationLimit limit = new EvaluationLimit(LIMIT, now::get);
  private final List<Duration> renewals = new ArrayList<>();
  private final AtomicInteger flushes = new AtomicInteger();

  /** An evaluation that takes {@code runsFor}: waiting for it moves the ticker on, no wall time. */
  private class Simulated implements EvaluationWatch.Evaluation {
    private final long start = now.get();
    private final Duration runsFor;
    private final boolean settles;
    int stops;
    int giveUps;
    Duration gaveUpAt;

    Simulated(Duration runsFor, boolean settles) {
      this.runsFor = runsFor;
      this.settles = settles;
    }

    @Override
    public Boolean await(long ms) {
      long end = start + runsFor.toNanos();
      long until = now.get() + ms * 1_000_000;
      if (until >= end) {
        now.set(end);
        return settles;
      }
      now.set(until);
      return null;
    }

    @Override
    public void stop() {
      stops++;
    }

    @Override
    public void giveUp() {
      giveUps++;
      gaveUpAt = elapsed();
    }

    Duration elapsed() {
      return Duration.ofNanos(now.get() - start);
    }
  }

  private AcknowledgeType hold(Simulated evaluation, long renewEveryMs, boolean[] stopping)
      throws Exception {
    EvaluationLimit.Timer timer = limit.start();
    Outcome outcome =
        EvaluationWatch.watch(
            evaluation,
            timer,
            () -> renewEveryMs,
            () -> stopping[0],
            () -> renewals.add(evaluation.elapsed()));
    return ShareEvaluatorWorker.acknowledgement(outcome, flushes::incrementAndGet);
  }

  @Test
  void aRunawayEvaluationsLockIsRenewedUpToTheLimitOnlyAndItsSampleRejected() throws Exception {
    Simulated runaway = new Simulated(Duration.ofDays(3), true);
    assertEquals(AcknowledgeType.REJECT, hold(runaway, RENEW_MS, new boolean[1]));
    assertEquals(1, runaway.giveUps, "given up once, with its FAILED result");
    assertEquals(LIMIT, runaway.gaveUpAt, "at the limit, not a renewal period after it");
    assertEquals(89, renewals.size(), "renewed every 10 s below 15 min, and then no more");
    assertTrue(renewals.get(renewals.size() - 1).compareTo(LIMIT) < 0, renewals.toString());
    assertEquals(0, runaway.stops);
    assertEquals(0, flushes.get());
  }

  @Test
  void aRenewalPeriodThatDoesNotDivideTheLimitStillGivesUpAtTheLimit() throws Exception {
    Simulated runaway = new Simulated(Duration.ofHours(2), true);
    assertEquals(AcknowledgeType.REJECT, hold(runaway, 7_000, new boolean[1]));
    assertEquals(LIMIT, runaway.gaveUpAt);
    assertEquals(128, renewals.size(), "900 s / 7 s: 128 renewals, the last at 896 s");
  }

  @Test
  void anEvaluationWithinTheLimitIsAcceptedAfterItsRenewals() throws Exception {
    Simulated within = new Simulated(LIMIT.minusMillis(1), true);
    assertEquals(AcknowledgeType.ACCEPT, hold(within, RENEW_MS, new boolean[1]));
    assertEquals(0, within.giveUps);
    assertEquals(89, renewals.size());
    assertEquals(1, flushes.get(), "its dead letters are written before the ACCEPT");
  }

  @Test
  void anEvaluationThatEndsUnsettledIsReleased() throws Exception {
    Simulated unsettled = new Simulated(Duration.ofSeconds(25), false);
    assertEquals(AcknowledgeType.RELEASE, hold(unsettled, RENEW_MS, new boolean[1]));
    assertEquals(2, renewals.size());
  }

  @Test
  void aWorkerThatStopsReleasesTheSampleWithoutAFailedResult() throws Exception {
    boolean[] stopping = {false};
    Simulated running =
        new Simulated(Duration.ofHours(1), true) {
          @Override
          public Boolean await(long ms) {
            Boolean outcome = super.await(ms);
            stopping[0] = elapsed().compareTo(Duration.ofMinutes(1)) >= 0;
            return outcome;
          }
        };
    assertEquals(AcknowledgeType.RELEASE, hold(running, RENEW_MS, stopping));
    assertEquals(1, running.stops);
    assertEquals(0, running.giveUps);
    assertEquals(5, renewals.size());
  }

  @Test
  void withNothingToRenewTheWatchWaitsOnceForTheLimit() throws Exception {
    // The classic worker's wait: no lock to renew.
    Simulated runaway = new Simulated(Duration.ofDays(1), true);
    assertEquals(AcknowledgeType.REJECT, hold(runaway, Long.MAX_VALUE, new boolean[1]));
    assertEquals(LIMIT, runaway.gaveUpAt);
    assertEquals(0, renewals.size());
  }
}
