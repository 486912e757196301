package org.fpnas.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
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
    Properties p = new Properties();
    p.putAll(clientSettings);
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "fpnas-team-settings-reader");
    Map<String, TeamSettings> teams = new TreeMap<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      List<PartitionInfo> infos = consumer.partitionsFor(TeamSettings.TOPIC, timeout);
      if (infos == null || infos.isEmpty()) {
        return teams; // no team was ever created
      }
      List<TopicPartition> partitions = new ArrayList<>();
      infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!reached(consumer, end)) {
        if (System.nanoTime() - deadline > 0) {
          throw new IllegalStateException(
              "timed out after " + timeout + " reading " + TeamSettings.TOPIC);
        }
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          apply(teams, r);
        }
      }
    }
    return teams;
  }

  private static void apply(Map<String, TeamSettings> teams, ConsumerRecord<String, String> r) {
    if (r.key() == null) {
      return;
    }
    if (r.value() == null) {
      teams.remove(r.key());
      return;
    }
    try {
      TeamSettings settings = TeamSettings.fromJson(r.value());
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

  private static boolean reached(
      KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> end) {
    for (var e : end.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }
}
