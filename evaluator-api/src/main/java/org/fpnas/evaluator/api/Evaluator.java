package org.fpnas.evaluator.api;

/**
 * The evaluator SPI: scores one sampled architecture. Implementations may keep state across calls
 * (a supernet, a cache of landscapes) and are used by one thread at a time.
 */
public interface Evaluator extends AutoCloseable {
  /**
   * Evaluates one sample. A thrown exception becomes a FAILED result carrying its message; it never
   * counts as a likelihood. The message goes back to the team that submitted the search, so it says
   * what could not be done, not which files of this machine were involved (those go to the
   * evaluator's log).
   *
   * <p>The service gives one evaluation a time limit: past it, the thread is interrupted and the
   * sample fails, naming the limit. An evaluation that runs long ends soon after an interrupt (a
   * blocking call throws {@link InterruptedException}; a loop checks {@link Thread#isInterrupted()}
   * and throws); one that does not is left to run out on its thread, its result discarded.
   */
  Measurement evaluate(EvaluationRequest request) throws Exception;

  @Override
  default void close() {}
}
