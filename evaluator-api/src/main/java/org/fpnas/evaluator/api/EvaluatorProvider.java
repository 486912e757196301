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

  /**
   * Refuses a search's evaluator settings that every evaluation of the search would refuse: an
   * unknown name, a value that does not fit, a value above what the kind lets one evaluation take
   * of a shared pool. Submit calls it where the kind is on its class path ({@link
   * EvaluatorProviders}), so that such a search is refused before anything is published; the
   * evaluator still checks on its own, since a team can write a spec without submit. Called without
   * the service's settings. By default nothing is checked before evaluation.
   *
   * @throws IllegalArgumentException naming the setting, the value given and what is allowed
   */
  default void validateSearchSettings(Map<String, String> searchSettings) {}
}
