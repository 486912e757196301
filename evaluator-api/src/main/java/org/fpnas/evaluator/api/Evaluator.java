package org.fpnas.evaluator.api;

/**
 * The evaluator SPI: scores one sampled architecture. Implementations may keep state across calls
 * (a supernet, a cache of landscapes) and are used by one thread at a time.
 */
public interface Evaluator extends AutoCloseable {
  /**
   * Evaluates one sample. A thrown exception becomes a FAILED result carrying its message; it never
   * counts as a likelihood.
   */
  Measurement evaluate(EvaluationRequest request) throws Exception;

  @Override
  default void close() {}
}
