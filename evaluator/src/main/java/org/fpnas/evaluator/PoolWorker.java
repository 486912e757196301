package org.fpnas.evaluator;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/** One evaluator thread of the service, whichever kind of group it takes samples from. */
interface PoolWorker {
  void start();

  /** Asks it to stop; what it holds goes back to the group. */
  void stop();

  void awaitStop();

  /**
   * What every worker's consumer starts from, classic or share: the service's client settings
   * (security), the cluster, the group, and the worker's id as client id, under which the group's
   * description (the dashboard, the share pool's check for classic members) lists it.
   */
  static Properties consumerSettings(
      String bootstrapServers, Map<String, String> clientSettings, String group, String id) {
    Properties c = new Properties();
    c.putAll(clientSettings);
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, id);
    return c;
  }
}
