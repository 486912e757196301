package org.fpnas.evaluator.worker;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * One evaluator thread of the service, whichever kind of group it takes samples from: the thread,
 * and the flag that tells its loop to stop.
 */
public abstract class PoolWorker {
  protected final String id;
  private final Thread thread;

  /** Set by {@link #stop}; the loop, and an evaluation that checks it, end when it is. */
  protected volatile boolean stopping;

  protected PoolWorker(String id) {
    this.id = id;
    this.thread = new Thread(this::run, "fpnas-evaluator-" + id);
  }

  /** The worker's loop: takes and evaluates samples until {@link #stopping}. */
  protected abstract void run();

  /** Makes a poll in progress return at once (the consumer's {@code wakeup}). */
  protected abstract void wakeup();

  public final void start() {
    thread.start();
  }

  /** Whether its loop runs (or was asked to stop and is stopping). */
  public final boolean alive() {
    return stopping || thread.isAlive();
  }

  public final String id() {
    return id;
  }

  /** Asks it to stop; what it holds goes back to the group. */
  public final void stop() {
    stopping = true;
    wakeup();
  }

  public final void awaitStop() {
    try {
      thread.join(Duration.ofSeconds(60).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * What every worker's consumer starts from, classic or share: the service's client settings
   * (security), the cluster, the group, and the worker's id as client id, under which the group's
   * description (the dashboard, the share pool's check for classic members) lists it.
   */
  protected static Properties consumerSettings(
      String bootstrapServers, Map<String, String> clientSettings, String group, String id) {
    Properties c = new Properties();
    c.putAll(clientSettings);
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, id);
    return c;
  }
}
