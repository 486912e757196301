package org.fpnas.evaluator;

/** One evaluator thread of the service, whichever kind of group it takes samples from. */
interface PoolWorker {
  void start();

  /** Asks it to stop; what it holds goes back to the group. */
  void stop();

  void awaitStop();
}
