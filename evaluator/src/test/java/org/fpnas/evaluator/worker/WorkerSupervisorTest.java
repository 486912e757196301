package org.fpnas.evaluator.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Workers whose loop ends on its own are replaced, with a growing pause; time is simulated. */
class WorkerSupervisorTest {
  /** A worker whose loop ends at once (a broker gone for good) or runs until stopped. */
  private static final class Fake extends PoolWorker {
    private final boolean dies;

    Fake(String id, boolean dies) {
      super(id);
      this.dies = dies;
    }

    @Override
    protected void run() {
      while (!dies && !stopping) {
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    @Override
    protected void wakeup() {}
  }

  private final AtomicLong now = new AtomicLong();
  private int slot0Made;

  /** Two slots; the first {@code deaths} workers of slot 0 end at once, the others run. */
  private WorkerSupervisor supervisor(int deaths) {
    return new WorkerSupervisor(
        2, i -> new Fake("w-" + i, i == 0 && slot0Made++ < deaths), now::get);
  }

  private static void awaitEnd(PoolWorker w) {
    w.awaitStop();
  }

  @Test
  void aWorkerThatStopsOnItsOwnIsReplacedAfterAGrowingPause() {
    try (WorkerSupervisor s = supervisor(2)) {
      s.start();
      PoolWorker first = s.workers().get(0);
      PoolWorker second = s.workers().get(1);
      awaitEnd(first);
      s.check(); // noticed: a new one after the first pause
      assertSame(first, s.workers().get(0));
      now.addAndGet(WorkerSupervisor.FIRST_PAUSE.toNanos());
      s.check();
      PoolWorker replacement = s.workers().get(0);
      assertNotSame(first, replacement);
      awaitEnd(replacement); // it dies too: the pause doubles
      now.addAndGet(WorkerSupervisor.FIRST_PAUSE.toNanos());
      s.check();
      assertSame(replacement, s.workers().get(0), "not before twice the first pause");
      now.addAndGet(WorkerSupervisor.FIRST_PAUSE.toNanos());
      s.check();
      assertNotSame(replacement, s.workers().get(0));
      assertTrue(s.workers().get(0).alive(), "the third one runs");
      assertSame(second, s.workers().get(1), "the healthy slot is left alone");
      assertNull(s.problem());
    }
  }

  @Test
  void aSlotThatStaysDownIsTheLivenessProblem() {
    try (WorkerSupervisor s = supervisor(1_000)) {
      s.start();
      for (int round = 0; round < 40; round++) {
        awaitEnd(s.workers().get(0));
        s.check();
        now.addAndGet(Duration.ofSeconds(30).toNanos());
      }
      s.check();
      String problem = s.problem();
      assertTrue(problem != null && problem.contains("keeps stopping"), String.valueOf(problem));
      assertEquals(2, s.workers().size());
    }
  }
}
