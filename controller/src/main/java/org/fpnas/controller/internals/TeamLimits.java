package org.fpnas.controller.internals;

import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.fpnas.cluster.RateLimitedLog;
import org.fpnas.schemas.TeamSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every team's limits, from {@value TeamSettings#TOPIC} in a global store, so that each task (the
 * sampler's, per search; the dispatcher's, per team) can look up any team. Kafka Streams loads the
 * whole topic before it processes anything, so limits recorded before the controller starts apply
 * to its first sample; a later change applies within about a second.
 */
public final class TeamLimits {
  public static final String STORE = "team-settings";
  private static final Logger LOG = LoggerFactory.getLogger(TeamLimits.class);
  private static final RateLimitedLog BAD = new RateLimitedLog(LOG, 1);

  private TeamLimits() {}

  /** The team's settings, or the defaults (no limits) when it has none or they cannot be read. */
  public static TeamSettings of(ReadOnlyKeyValueStore<String, String> store, String team) {
    String json = store.get(team);
    if (json == null) {
      return TeamSettings.defaults(team);
    }
    try {
      TeamSettings s = TeamSettings.fromJson(json);
      return s.team().equals(team) ? s : TeamSettings.defaults(team);
    } catch (IllegalArgumentException e) {
      BAD.warn("team {}: unreadable settings, no limits: {}", team, e.getMessage());
      return TeamSettings.defaults(team);
    }
  }

  /**
   * Whether the team has neither an in-flight nor a search limit: its samples need no dispatcher.
   */
  public static boolean unlimited(TeamSettings s) {
    return s.maxInflight() == 0 && s.maxSearches() == 0;
  }

  /**
   * The mirror of {@value TeamSettings#TOPIC} in {@link #STORE}: the latest settings of each team,
   * none for a deleted team. A named class so that the topology's wiring names it as before.
   */
  public static final class Updater extends StoreMirror {
    public Updater() {
      super(STORE);
    }
  }
}
