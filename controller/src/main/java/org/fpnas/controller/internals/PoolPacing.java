package org.fpnas.controller.internals;

import java.util.Objects;
import java.util.function.IntSupplier;

/**
 * Whether the dispatcher paces every team's samples to the evaluator pool, and how large the pool
 * is. Paced, a team has at most its weighted share ({@link PoolShares}) of the pool's window in
 * flight, so samples wait in the dispatcher rather than in a queue of the broker: release order is
 * then service order, across the whole pool. Not paced, samples of a team without limits go out as
 * they are drawn, and fairness is what each evaluator does with what it holds.
 */
public final class PoolPacing {
  private static final PoolPacing OFF = new PoolPacing(false, () -> 0);

  private final boolean on;
  private final IntSupplier window;

  private PoolPacing(boolean on, IntSupplier window) {
    this.on = on;
    this.window = window;
  }

  /** No pacing: the dispatcher handles only teams with limits. */
  public static PoolPacing off() {
    return OFF;
  }

  /**
   * Pacing to a pool whose window (samples it can hold at once: evaluating plus prefetched) the
   * supplier gives; 0 while unknown, when nothing is held back for the pool.
   */
  public static PoolPacing following(IntSupplier window) {
    return new PoolPacing(true, Objects.requireNonNull(window, "window"));
  }

  /** Whether every team's samples go through the dispatcher. */
  public boolean on() {
    return on;
  }

  /** The pool's window now; 0 when unknown or off. */
  public int window() {
    return Math.max(0, window.getAsInt());
  }
}
