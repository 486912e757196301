package org.fpnas.evaluator.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a pool's workers running: a worker whose loop ended without being asked to stop (it gave up
 * on a broker that stayed unreachable, or failed) is replaced by a new one in its slot, after a
 * pause that doubles with each replacement in a row, from 1 s up to 5 min, and starts again from 1
 * s once a worker has run for 10 minutes. A slot that stayed down for 10 minutes despite that is
 * the service's liveness problem, so that an orchestrator restarts the process. Time is injected.
 */
public final class WorkerSupervisor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerSupervisor.class);
  static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
  static final Duration LONGEST_PAUSE = Duration.ofMinutes(5);
  static final Duration HEALTHY_RUN = Duration.ofMinutes(10);
  static final Duration CHECK_EVERY = Duration.ofSeconds(1);

  private final IntFunction<PoolWorker> factory;
  private final LongSupplier nanoTime;
  private final Slot[] slots;
  private Thread watcher;
  private volatile boolean closed;

  private static final class Slot {
    volatile PoolWorker worker;
    long startedAt;
    long downSince = -1;
    long nextAttemptAt;
    long pauseNanos = FIRST_PAUSE.toNanos();
    int replacements;
  }

  /**
   * @param workers the number of slots
   * @param factory a new worker for slot i, not started
   * @param nanoTime the clock ({@code System::nanoTime})
   */
  public WorkerSupervisor(int workers, IntFunction<PoolWorker> factory, LongSupplier nanoTime) {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be at least 1, got " + workers);
    }
    this.factory = Objects.requireNonNull(factory, "factory");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    this.slots = new Slot[workers];
  }

  /** Starts every worker, and the watch that replaces those that end. */
  public synchronized WorkerSupervisor start() {
    for (int i = 0; i < slots.length; i++) {
      slots[i] = new Slot();
      launch(i);
    }
    watcher = new Thread(this::watch, "fpnas-worker-supervisor");
    watcher.setDaemon(true);
    watcher.start();
    return this;
  }

  private void launch(int i) {
    Slot slot = slots[i];
    slot.worker = factory.apply(i);
    slot.startedAt = nanoTime.getAsLong();
    slot.worker.start();
  }

  private void watch() {
    while (!closed) {
      try {
        Thread.sleep(CHECK_EVERY.toMillis());
      } catch (InterruptedException e) {
        return;
      }
      check();
    }
  }

  /** One round of the watch: replaces the workers whose pause is over. */
  synchronized void check() {
    long now = nanoTime.getAsLong();
    for (int i = 0; i < slots.length && !closed; i++) {
      Slot slot = slots[i];
      if (slot.worker.alive()) {
        if (now - slot.startedAt >= HEALTHY_RUN.toNanos()) {
          slot.pauseNanos = FIRST_PAUSE.toNanos();
          slot.downSince = -1;
        }
        continue;
      }
      if (slot.downSince < 0) {
        slot.downSince = now;
        slot.nextAttemptAt = now + slot.pauseNanos;
        LOG.warn(
            "worker {} stopped on its own; a new one in {} s",
            slot.worker.id(),
            slot.pauseNanos / 1_000_000_000.0);
      }
      if (now >= slot.nextAttemptAt) {
        slot.replacements++;
        slot.pauseNanos = Math.min(slot.pauseNanos * 2, LONGEST_PAUSE.toNanos());
        slot.nextAttemptAt = now + slot.pauseNanos;
        launch(i);
        LOG.info("worker {} replaced ({} so far)", slot.worker.id(), slot.replacements);
      }
    }
  }

  /**
   * A slot that has been down for {@link #HEALTHY_RUN} despite its replacements, for the liveness
   * check; null otherwise.
   */
  public synchronized String problem() {
    long now = nanoTime.getAsLong();
    for (Slot slot : slots) {
      if (slot != null
          && slot.downSince >= 0
          && !slot.worker.alive()
          && now - slot.downSince >= HEALTHY_RUN.toNanos()) {
        return "worker "
            + slot.worker.id()
            + " keeps stopping ("
            + slot.replacements
            + " replacements in "
            + Duration.ofNanos(now - slot.downSince).toMinutes()
            + " min); restart the evaluator";
      }
    }
    return null;
  }

  /** The current workers, one per slot. */
  public synchronized List<PoolWorker> workers() {
    List<PoolWorker> out = new ArrayList<>();
    for (Slot slot : slots) {
      if (slot != null) {
        out.add(slot.worker);
      }
    }
    return out;
  }

  /** Stops watching, then stops every worker and waits for them. */
  @Override
  public void close() {
    closed = true;
    if (watcher != null) {
      watcher.interrupt();
    }
    List<PoolWorker> all = workers();
    all.forEach(PoolWorker::stop);
    all.forEach(PoolWorker::awaitStop);
  }
}
