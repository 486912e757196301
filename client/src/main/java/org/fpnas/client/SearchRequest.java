package org.fpnas.client;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a user submits: the space, hyperparameter settings ({@code --set name=value}), the evaluator
 * and its settings, and a landscape for the benchmark evaluator.
 */
public final class SearchRequest {
  private final String spaceName;
  private final String spaceText;
  private String team = "default";
  private String searchId;
  private String evaluator = "benchmark";
  private String landscapeText;
  private final Map<String, String> settings = new LinkedHashMap<>();
  private final Map<String, String> evaluatorSettings = new LinkedHashMap<>();

  public SearchRequest(String spaceName, String spaceText) {
    this.spaceName = Objects.requireNonNull(spaceName, "spaceName");
    this.spaceText = Objects.requireNonNull(spaceText, "spaceText");
  }

  public SearchRequest team(String team) {
    this.team = Objects.requireNonNull(team, "team");
    return this;
  }

  /** A fixed search id instead of a generated one. */
  public SearchRequest searchId(String id) {
    this.searchId = id;
    return this;
  }

  public SearchRequest evaluator(String kind) {
    this.evaluator = Objects.requireNonNull(kind, "evaluator");
    return this;
  }

  public SearchRequest landscape(String text) {
    this.landscapeText = text;
    return this;
  }

  /** A hyperparameter by its name (seed, maxIterations, lambda, ...). */
  public SearchRequest set(String name, String value) {
    settings.put(name, value);
    return this;
  }

  public SearchRequest setAll(Map<String, String> values) {
    settings.putAll(values);
    return this;
  }

  /** A setting for the evaluator (e.g. simulatedMs for the benchmark evaluator). */
  public SearchRequest evaluatorSetting(String name, String value) {
    evaluatorSettings.put(name, value);
    return this;
  }

  public String spaceName() {
    return spaceName;
  }

  public String spaceText() {
    return spaceText;
  }

  public String team() {
    return team;
  }

  public String searchId() {
    return searchId;
  }

  public String evaluator() {
    return evaluator;
  }

  public String landscapeText() {
    return landscapeText;
  }

  public Map<String, String> settings() {
    return Map.copyOf(settings);
  }

  public Map<String, String> evaluatorSettings() {
    return Map.copyOf(evaluatorSettings);
  }
}
