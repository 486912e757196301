package org.fpnas.schemas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Objects;

/**
 * A team's share of the evaluators, its limits and its quotas, as {@code fpnas team create} records
 * them in the compacted topic {@value #TOPIC} (key: the team; value: this record as JSON; a
 * tombstone when the team is deleted). A limit or quota of 0 means none.
 *
 * @param team the team name ({@link Topics#validTeam})
 * @param weight the team's share of the evaluators relative to the other teams' weights; positive,
 *     1 by default
 * @param maxInflight samples of the team that may be in flight at once; 0: no limit
 * @param maxSearches searches of the team that may run at once; 0: no limit
 * @param produceRate the team principal's producer quota in bytes per second; 0: none
 * @param consumeRate the team principal's consumer quota in bytes per second; 0: none
 * @param principal the team's Kafka principal, {@code User:team-<team>} for teams that fpnas
 *     created
 */
public record TeamSettings(
    String team,
    double weight,
    int maxInflight,
    int maxSearches,
    long produceRate,
    long consumeRate,
    String principal) {

  /** The compacted topic of every team's settings. */
  public static final String TOPIC = "fpnas.teams";

  /** The weight of a team that has no record. */
  public static final double DEFAULT_WEIGHT = 1.0;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Checks every field; a bad one fails with its name. */
  public TeamSettings {
    Topics.validTeam(team);
    if (!(weight > 0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException(
          "weight of team " + team + " must be a positive number, got " + weight);
    }
    requireNotNegative(maxInflight, "maxInflight", team);
    requireNotNegative(maxSearches, "maxSearches", team);
    requireNotNegative(produceRate, "produceRate", team);
    requireNotNegative(consumeRate, "consumeRate", team);
    Objects.requireNonNull(principal, "principal of team " + team);
    if (!principal.startsWith("User:") || principal.length() == 5) {
      throw new IllegalArgumentException(
          "principal of team " + team + " must be User:NAME, got '" + principal + "'");
    }
  }

  /**
   * The settings of a team without a record: weight 1, no limits, no quotas, the conventional
   * principal.
   */
  public static TeamSettings defaults(String team) {
    return new TeamSettings(team, DEFAULT_WEIGHT, 0, 0, 0, 0, principalOf(team));
  }

  /** The SCRAM user of a team that {@code fpnas team create} made: {@code team-<team>}. */
  public static String userOf(String team) {
    return "team-" + Topics.validTeam(team);
  }

  /** {@code User:team-<team>}. */
  public static String principalOf(String team) {
    return "User:" + userOf(team);
  }

  /** The record's value on {@value #TOPIC}. */
  public String toJson() {
    ObjectNode node =
        JSON.createObjectNode()
            .put("team", team)
            .put("weight", weight)
            .put("maxInflight", maxInflight)
            .put("maxSearches", maxSearches)
            .put("produceRate", produceRate)
            .put("consumeRate", consumeRate)
            .put("principal", principal);
    return node.toString();
  }

  /**
   * Reads a record's value. Missing fields take the defaults (a record written by an older fpnas
   * stays readable), unknown ones are ignored; a field of the wrong type fails naming it.
   */
  public static TeamSettings fromJson(String json) {
    JsonNode node;
    try {
      node = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "team settings are not JSON: " + e.getOriginalMessage(), e);
    }
    if (node == null || !node.isObject() || !node.path("team").isTextual()) {
      throw new IllegalArgumentException(
          "team settings must be a JSON object with a text field 'team', got " + json);
    }
    String team = node.get("team").asText();
    TeamSettings d = defaults(team);
    return new TeamSettings(
        team,
        number(node, "weight", d.weight()),
        (int) whole(node, "maxInflight", d.maxInflight()),
        (int) whole(node, "maxSearches", d.maxSearches()),
        whole(node, "produceRate", d.produceRate()),
        whole(node, "consumeRate", d.consumeRate()),
        node.path("principal").isTextual() ? node.get("principal").asText() : d.principal());
  }

  /** The topic's specification: compacted, one partition (a handful of small records). */
  public static TopicSpec topicSpec() {
    return new TopicSpec(TOPIC, 1, Map.of("cleanup.policy", "compact"));
  }

  private static double number(JsonNode node, String field, double fallback) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isNumber()) {
      throw new IllegalArgumentException(
          "team settings field '" + field + "' must be a number, got " + value);
    }
    return value.asDouble();
  }

  private static long whole(JsonNode node, String field, long fallback) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.canConvertToLong() || !value.isIntegralNumber()) {
      throw new IllegalArgumentException(
          "team settings field '" + field + "' must be a whole number, got " + value);
    }
    long whole = value.asLong();
    if (whole > Integer.MAX_VALUE && (field.equals("maxInflight") || field.equals("maxSearches"))) {
      throw new IllegalArgumentException(
          "team settings field '" + field + "' is too large: " + whole);
    }
    return whole;
  }

  private static void requireNotNegative(long value, String field, String team) {
    if (value < 0) {
      throw new IllegalArgumentException(
          field + " of team " + team + " must be 0 (none) or more, got " + value);
    }
  }
}
