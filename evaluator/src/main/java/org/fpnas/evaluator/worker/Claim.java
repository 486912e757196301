package org.fpnas.evaluator.worker;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Who publishes the result of one evaluation of a sample: the evaluation when it ends, or its
 * worker when it gives the sample up at the time limit. Both may try at about the same moment; only
 * the first publishes, so that the evaluator writes one result per sample it takes.
 */
public final class Claim {
  private final AtomicBoolean taken = new AtomicBoolean();

  /** True for the first caller only: it publishes the result. */
  public boolean take() {
    return taken.compareAndSet(false, true);
  }
}
