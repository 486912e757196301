package org.fpnas.evaluator.api;

import java.util.Map;

/** Creates evaluators of one kind; found with {@link java.util.ServiceLoader}. */
public interface EvaluatorProvider {
  /** The kind that searches name in their spec, e.g. {@code benchmark}. */
  String kind();

  /**
   * A new evaluator, configured with the service's own settings (not the search's). Whatever names
   * a file of this machine (a data directory, a table) belongs here, with the operator, rather than
   * among a search's settings, which are a team's input.
   */
  Evaluator create(Map<String, String> serviceSettings);
}
