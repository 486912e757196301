package org.fpnas.schemas;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The topic catalogue. Topic names carry the team ({@code fpnas.<team>.samples}) so that the broker
 * can isolate teams with prefixed ACLs and quotas; the shared services subscribe by pattern.
 */
public final class Topics {
  /** The team used when none is given. */
  public static final String DEFAULT_TEAM = "default";

  /**
   * Partitions of the samples topic: the number of partitions caps the number of busy evaluators.
   */
  public static final int DEFAULT_SAMPLE_PARTITIONS = 16;

  /** Partitions of the topics keyed by search. */
  public static final int DEFAULT_SEARCH_PARTITIONS = 4;

  // The shared services' names, here so that their ACLs (module admin) need not depend on the
  // services.
  /**
   * Application id (consumer group, prefix of internal topics and transactional ids) of the
   * aggregator.
   */
  public static final String AGGREGATOR_APPLICATION_ID = "fpnas-aggregator";

  /**
   * Application id (consumer group, prefix of internal topics and transactional ids) of the
   * dispatcher.
   */
  public static final String DISPATCHER_APPLICATION_ID = "fpnas-dispatcher";

  /** Classic consumer group of the evaluators that have no share consumer (librdkafka clients). */
  public static final String EVALUATORS_GROUP = "fpnas-evaluators";

  /**
   * Share group of the Java evaluators. A group id has one type for good, so it cannot be the
   * classic group's.
   */
  public static final String EVALUATORS_SHARE_GROUP = "fpnas-evaluators-share";

  /**
   * Where the aggregator puts samples dispatched again after a deadline, for the dispatcher (not
   * straight to the samples topic, so that they count against the team's in-flight limit); created
   * by the controller, one partition, readable only by the services.
   */
  public static final String REDISPATCH_TOPIC = AGGREGATOR_APPLICATION_ID + "-redispatch";

  /**
   * Where the aggregator puts the samples it draws for the dispatcher (every team's when the
   * dispatcher paces the pool, else those of teams with limits) and the ends of searches, keyed by
   * team; created by the controller with the dispatcher's fixed partition count, readable only by
   * the services.
   */
  public static final String DISPATCH_SAMPLES_TOPIC =
      DISPATCHER_APPLICATION_ID + "-dispatch-samples";

  private static final Pattern TEAM = Pattern.compile("[a-z0-9][a-z0-9_-]{0,39}");
  private static final String TEAM_GROUP = "([a-z0-9][a-z0-9_-]{0,39})";

  /** Pattern of every team's searches topic. */
  public static final Pattern SEARCHES_PATTERN =
      Pattern.compile("fpnas\\." + TEAM_GROUP + "\\.searches");

  /** Pattern of every team's samples topic. */
  public static final Pattern SAMPLES_PATTERN =
      Pattern.compile("fpnas\\." + TEAM_GROUP + "\\.samples");

  /** Pattern of every team's evaluations topic. */
  public static final Pattern EVALUATIONS_PATTERN =
      Pattern.compile("fpnas\\." + TEAM_GROUP + "\\.evaluations");

  /** Pattern of every team's distributions topic. */
  public static final Pattern DISTRIBUTIONS_PATTERN =
      Pattern.compile("fpnas\\." + TEAM_GROUP + "\\.distributions");

  private static final long ONE_WEEK_MS = 7L * 24 * 3600 * 1000;

  private final String team;

  private Topics(String team) {
    this.team = team;
  }

  /**
   * The topics of one team; the name must be lower case letters, digits, '-' or '_' (at most 40).
   */
  public static Topics forTeam(String team) {
    return new Topics(validTeam(team));
  }

  /** Checks a team name and returns it. */
  public static String validTeam(String team) {
    if (team == null || !TEAM.matcher(team).matches()) {
      throw new IllegalArgumentException(
          "invalid team name '"
              + team
              + "': use 1-40 lower case letters, digits, '-' or '_', starting with a letter or digit");
    }
    return team;
  }

  /** The team a topic name belongs to, or null if it is not an fpnas team topic. */
  public static String teamOf(String topic) {
    for (Pattern p :
        List.of(SEARCHES_PATTERN, SAMPLES_PATTERN, EVALUATIONS_PATTERN, DISTRIBUTIONS_PATTERN)) {
      var m = p.matcher(topic);
      if (m.matches()) {
        return m.group(1);
      }
    }
    return null;
  }

  public String team() {
    return team;
  }

  /** Prefix of all this team's topics, for prefixed ACLs. */
  public String prefix() {
    return "fpnas." + team + ".";
  }

  public String searches() {
    return prefix() + "searches";
  }

  public String samples() {
    return prefix() + "samples";
  }

  public String evaluations() {
    return prefix() + "evaluations";
  }

  public String distributions() {
    return prefix() + "distributions";
  }

  public String dlq() {
    return prefix() + "dlq";
  }

  /**
   * Whether each search of the team runs or waits for a search slot (written only for teams with a
   * search limit).
   */
  public String admissions() {
    return prefix() + "admissions";
  }

  /**
   * Every topic of the team with its partitions and retention: searches compacted, evaluations and
   * distributions kept forever (they are the history that replay reads), samples and the dead
   * letter queue kept for a week, admissions compacted (the latest state of each search).
   */
  public List<TopicSpec> specs(int samplePartitions, int searchPartitions) {
    return List.of(
        new TopicSpec(searches(), searchPartitions, Map.of("cleanup.policy", "compact")),
        new TopicSpec(
            samples(), samplePartitions, Map.of("retention.ms", Long.toString(ONE_WEEK_MS))),
        new TopicSpec(
            evaluations(), searchPartitions, Map.of("retention.ms", "-1", "retention.bytes", "-1")),
        new TopicSpec(
            distributions(),
            searchPartitions,
            Map.of("retention.ms", "-1", "retention.bytes", "-1")),
        new TopicSpec(dlq(), 1, Map.of("retention.ms", Long.toString(ONE_WEEK_MS))),
        new TopicSpec(admissions(), searchPartitions, Map.of("cleanup.policy", "compact")));
  }

  /** {@link #specs(int, int)} with the default partition counts. */
  public List<TopicSpec> specs() {
    return specs(DEFAULT_SAMPLE_PARTITIONS, DEFAULT_SEARCH_PARTITIONS);
  }
}
