package org.fpnas.schemas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.fpnas.core.settings.Range;
import org.fpnas.core.settings.Setting;
import org.fpnas.core.settings.SettingValues;
import org.fpnas.core.settings.SettingsParser;

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

  private static final Setting<Double> WEIGHT =
      Setting.number("weight", DEFAULT_WEIGHT, Range.above(0));
  private static final Setting<Integer> MAX_INFLIGHT = notNegative("maxInflight");
  private static final Setting<Integer> MAX_SEARCHES = notNegative("maxSearches");
  private static final Setting<Long> PRODUCE_RATE =
      Setting.whole("produceRate", 0, 0, Long.MAX_VALUE).allowed("a whole number >= 0 (0: none)");
  private static final Setting<Long> CONSUME_RATE =
      Setting.whole("consumeRate", 0, 0, Long.MAX_VALUE).allowed("a whole number >= 0 (0: none)");
  // Its default depends on the team, so it is only ever given.
  private static final Setting<String> PRINCIPAL = Setting.text("principal", "User:?");

  private static final SettingsParser PARSER =
      SettingsParser.of(
          "team setting",
          WEIGHT,
          MAX_INFLIGHT,
          MAX_SEARCHES,
          PRODUCE_RATE,
          CONSUME_RATE,
          PRINCIPAL);

  private static Setting<Integer> notNegative(String name) {
    return Setting.integer(name, 0, 0, Integer.MAX_VALUE).allowed("a whole number >= 0 (0: none)");
  }

  /** Checks every field; a bad one fails with its name. */
  public TeamSettings {
    Topics.validTeam(team);
    PARSER.require(WEIGHT, weight);
    PARSER.require(MAX_INFLIGHT, maxInflight);
    PARSER.require(MAX_SEARCHES, maxSearches);
    PARSER.require(PRODUCE_RATE, produceRate);
    PARSER.require(CONSUME_RATE, consumeRate);
    Objects.requireNonNull(principal, "principal of team " + team);
    if (!principal.startsWith("User:") || principal.length() == 5) {
      throw PARSER.invalid("principal", "User:NAME", principal);
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
    // Each numeric field as text: a number as its digits, anything else as its JSON (a string
    // quoted), so that a field of the wrong type fails its setting.
    Map<String, String> given = new LinkedHashMap<>();
    for (String name : PARSER.names()) {
      JsonNode value = node.get(name);
      if (value != null && !value.isNull() && !name.equals(PRINCIPAL.name())) {
        given.put(name, value.isNumber() ? value.asText() : value.toString());
      }
    }
    given.put(
        PRINCIPAL.name(),
        node.path("principal").isTextual() ? node.get("principal").asText() : principalOf(team));
    SettingValues v = PARSER.parse(given);
    return new TeamSettings(
        team,
        v.get(WEIGHT),
        v.get(MAX_INFLIGHT),
        v.get(MAX_SEARCHES),
        v.get(PRODUCE_RATE),
        v.get(CONSUME_RATE),
        v.get(PRINCIPAL));
  }

  /** The topic's specification: compacted, one partition (a handful of small records). */
  public static TopicSpec topicSpec() {
    return new TopicSpec(TOPIC, 1, Map.of("cleanup.policy", "compact"));
  }
}
