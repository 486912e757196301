package org.fpnas.core;

import java.util.List;

/**
 * The record of a finished in-process search.
 *
 * @param states every state, the initial one first and the final (done) one last
 * @param outcomes the outcome of every update, in order ({@code states.size() - 1} of them)
 * @param architecture the result: the mode of the final distribution
 * @param probability its probability under the final distribution
 * @param samplesEvaluated the number of architectures scored in all
 */
public record SearchResult(List<SearchState> states, List<IterationOutcome> outcomes,
    Architecture architecture, double probability, long samplesEvaluated) {
  /** Copies the lists. */
  public SearchResult {
    states = List.copyOf(states);
    outcomes = List.copyOf(outcomes);
  }

  /** The final state. */
  public SearchState finalState() {
    return states.get(states.size() - 1);
  }
}
