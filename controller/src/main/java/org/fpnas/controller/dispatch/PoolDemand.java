package org.fpnas.controller.dispatch;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.fpnas.controller.internals.PoolShares;
import org.fpnas.controller.internals.StoreMirror;
import org.fpnas.schemas.Topics;

/**
 * What every team wants of the evaluator pool (samples in flight or held), shared between the
 * dispatcher's tasks: each task owns some teams, so each publishes its teams' demand to the
 * compacted topic {@value #TOPIC}, which every task reads whole as the global store {@value
 * #STORE}. A task reads the others' demand from there, a few commit intervals old at most; shares
 * computed from slightly old demand only shift a sample or two between teams for that long.
 */
final class PoolDemand {
  public static final String TOPIC = Topics.DISPATCHER_APPLICATION_ID + "-pool-demand";
  public static final String STORE = "pool-demand";

  /** How often changed demand is published and grown shares are applied. */
  static final Duration PUBLISH_EVERY = Duration.ofMillis(100);

  private final ReadOnlyKeyValueStore<String, String> others;
  private final Map<String, Integer> published = new HashMap<>();
  private final Map<String, Integer> pending = new TreeMap<>();

  PoolDemand(ReadOnlyKeyValueStore<String, String> others) {
    this.others = others;
  }

  /**
   * The team's share of a pool of {@code window} samples, given the demand of the other teams; 0
   * (no cap) while no other team wants any: pacing a team alone would only cost it the time each
   * released sample takes to reach an evaluator.
   */
  int shareOf(int window, String team, ToDoubleFunction<String> weight) {
    Map<String, Integer> demand = new HashMap<>();
    boolean contended = false;
    try (KeyValueIterator<String, String> all = others.all()) {
      while (all.hasNext()) {
        var kv = all.next();
        int d = parse(kv.value);
        demand.put(kv.key, d);
        contended |= d > 0 && !kv.key.equals(team);
      }
    }
    return contended ? PoolShares.shareOf(window, team, demand, weight) : 0;
  }

  /**
   * The team's demand now: published at once when it starts or stops (other teams' shares change
   * most then), otherwise with the next {@link #flush}.
   */
  void record(String team, int demand, BiConsumer<String, byte[]> publish) {
    int last = published.getOrDefault(team, -1);
    if (demand == last) {
      pending.remove(team);
    } else if (last <= 0 || demand == 0) {
      pending.remove(team);
      send(team, demand, publish);
    } else {
      pending.put(team, demand);
    }
  }

  /** Publishes every demand changed since the last flush. */
  void flush(BiConsumer<String, byte[]> publish) {
    pending.forEach((team, demand) -> send(team, demand, publish));
    pending.clear();
  }

  private void send(String team, int demand, BiConsumer<String, byte[]> publish) {
    published.put(team, demand);
    publish.accept(team, Integer.toString(demand).getBytes(StandardCharsets.UTF_8));
  }

  private static int parse(String value) {
    try {
      return Math.max(0, Integer.parseInt(value.trim()));
    } catch (NumberFormatException e) {
      return 0; // not ours; a demand it cannot read takes no share
    }
  }

  /** The mirror of {@value #TOPIC} in {@link #STORE}, each team's latest demand. */
  public static final class Updater extends StoreMirror {
    public Updater() {
      super(STORE);
    }
  }
}
