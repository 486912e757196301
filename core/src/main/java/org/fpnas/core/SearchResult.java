package org.fpnas.core;

import org.fpnas.core.space.Architecture;

/**
 * The record of a finished in-process search: what a caller needs, not the whole trajectory (a
 * listener on {@link InProcessSearch} sees every outcome while it runs), so a long search holds one
 * state at a time.
 *
 * @param finalState the final (done) state
 * @param architecture the result: the mode of the final distribution
 * @param probability its probability under the final distribution
 * @param samplesEvaluated the number of architectures scored in all
 * @param updates the number of updates made by this run
 */
public record SearchResult(
    SearchState finalState,
    Architecture architecture,
    double probability,
    long samplesEvaluated,
    int updates) {
  /** Checks the parts. */
  public SearchResult {
    java.util.Objects.requireNonNull(finalState, "finalState");
    java.util.Objects.requireNonNull(architecture, "architecture");
    if (samplesEvaluated < 0 || updates < 0) {
      throw new IllegalArgumentException(
          "samplesEvaluated and updates must not be negative, got "
              + samplesEvaluated
              + " and "
              + updates);
    }
  }
}
