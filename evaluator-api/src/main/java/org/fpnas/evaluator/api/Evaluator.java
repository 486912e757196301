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
   */
  Measurement evaluate(EvaluationRequest request) throws Exception;

  @Override
  default void close() {}
}
