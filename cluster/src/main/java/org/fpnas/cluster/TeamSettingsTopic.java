package org.fpnas.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.fpnas.schemas.TeamSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads {@value TeamSettings#TOPIC} from the beginning to its end, without a consumer group. */
public final class TeamSettingsTopic {
  private static final Logger LOG = LoggerFactory.getLogger(TeamSettingsTopic.class);

  private TeamSettingsTopic() {}

  /**
   * Every team's settings on the cluster now, by team: the latest record of each team on {@value
   * TeamSettings#TOPIC}, without the deleted teams; empty when the topic does not exist. A team
   * missing here has {@link TeamSettings#defaults}. The caller needs READ and DESCRIBE on the topic
   * (the services principal has them).
   *
   * @param clientSettings extra Kafka client settings, e.g. the SASL settings of a secure cluster
   */
  public static Map<String, TeamSettings> read(
      String bootstrapServers, Map<String, String> clientSettings) {
    return read(bootstrapServers, clientSettings, Duration.ofSeconds(30));
  }

  static Map<String, TeamSettings> read(
      String bootstrapServers, Map<String, String> clientSettings, Duration timeout) {
    Map<String, String> settings = new HashMap<>(clientSettings);
    settings.put(ConsumerConfig.CLIENT_ID_CONFIG, "fpnas-team-settings-reader");
    Map<String, TeamSettings> teams = new TreeMap<>();
    try (TopicReader reader = new TopicReader(bootstrapServers, settings)) {
      if (!reader.exists(TeamSettings.TOPIC, timeout)) {
        return teams; // no team was ever created
      }
      reader.snapshot(List.of(TeamSettings.TOPIC), timeout).forEach(r -> apply(teams, r));
    }
    return teams;
  }

  private static void apply(Map<String, TeamSettings> teams, ConsumerRecord<String, byte[]> r) {
    if (r.key() == null) {
      return;
    }
    if (r.value() == null) {
      teams.remove(r.key());
      return;
    }
    try {
      TeamSettings settings = TeamSettings.fromJson(new String(r.value(), StandardCharsets.UTF_8));
      if (!settings.team().equals(r.key())) {
        throw new IllegalArgumentException(
            "record of team '" + settings.team() + "' under key '" + r.key() + "'");
      }
      teams.put(r.key(), settings);
    } catch (IllegalArgumentException e) {
      // One bad record must not hide every other team's settings; that team keeps its previous
      // ones.
      LOG.warn(
          "skipping unreadable team settings at {}-{}@{}: {}",
          r.topic(),
          r.partition(),
          r.offset(),
          e.getMessage());
    }
  }
}
