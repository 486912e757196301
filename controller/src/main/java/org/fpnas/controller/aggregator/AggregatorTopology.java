package org.fpnas.controller.aggregator;

import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.Stores;
import org.fpnas.controller.internals.ControllerMetrics;
import org.fpnas.controller.internals.DeadLetters;
import org.fpnas.controller.internals.Outgoing;
import org.fpnas.controller.internals.PoolPacing;
import org.fpnas.controller.internals.SamplePlacement;
import org.fpnas.controller.internals.TeamLimits;
import org.fpnas.schemas.Codecs;
import org.fpnas.schemas.SearchPartitions;
import org.fpnas.schemas.TeamSettings;
import org.fpnas.schemas.Topics;

/**
 * The aggregator: every team's searches and evaluations in, distributions and each iteration's
 * samples out (and samples that missed their deadline, dispatched again, and dead letters).
 * Searches and evaluations are keyed by search and have the same partition count, so one task sees
 * all events of a search in order; a record that a producer put on another partition than its
 * search's (murmur2 of the key) is forwarded there first ({@link Placement}). Built without I/O;
 * {@code ControllerService} runs it.
 */
public final class AggregatorTopology {
  static final String DISTRIBUTIONS_SINK = "distributions";
  static final String SAMPLES_SINK = "redispatched-samples";

  private AggregatorTopology() {}

  public static Topology build(Codecs codecs) {
    return build(codecs, Deadlines.DEFAULT);
  }

  /**
   * The aggregator with the given iteration deadlines, where every topic has one partition (a test
   * driver).
   */
  public static Topology build(Codecs codecs, Deadlines deadlines) {
    return build(
        codecs, deadlines, PartitionCounts.SINGLE, ControllerMetrics.none(), PoolPacing.off());
  }

  /**
   * The aggregator with the given iteration deadlines (re-dispatch of lost samples), the partition
   * counts that its placement check needs ({@link Placement}), reporting to the given metrics;
   * paced, every team's samples go to the dispatcher ({@link IterationSamples}).
   */
  public static Topology build(
      Codecs codecs,
      Deadlines deadlines,
      PartitionCounts partitions,
      ControllerMetrics metrics,
      PoolPacing pacing) {
    Topology t = new Topology();
    t.addSource(
        "searches", new StringDeserializer(), new ByteArrayDeserializer(), Topics.SEARCHES_PATTERN);
    t.addSource(
        "evaluations",
        new StringDeserializer(),
        new ByteArrayDeserializer(),
        Topics.EVALUATIONS_PATTERN);
    t.addProcessor(
        "aggregate",
        () -> new AggregatorProcessor(codecs, deadlines, partitions, metrics, pacing),
        "searches",
        "evaluations");
    SearchStores.addTo(t, "aggregate");
    t.addSink(
        DISTRIBUTIONS_SINK,
        Outgoing.TOPIC,
        new StringSerializer(),
        Outgoing.SERIALIZER,
        "aggregate");
    t.addSink(
        SAMPLES_SINK, Outgoing.TOPIC, new StringSerializer(), Outgoing.SERIALIZER, "aggregate");
    t.addSink(
        IterationSamples.SAMPLES_SINK,
        Outgoing.TOPIC,
        new StringSerializer(),
        Outgoing.SERIALIZER,
        new SamplePlacement(),
        "aggregate");
    // Keyed by team, default partitioner: co-partitioned with the dispatcher's other input.
    t.addSink(
        IterationSamples.DISPATCH_SINK,
        Outgoing.TOPIC,
        new StringSerializer(),
        Outgoing.SERIALIZER,
        "aggregate");
    t.addSink(
        DeadLetters.SINK, Outgoing.TOPIC, new StringSerializer(), Outgoing.SERIALIZER, "aggregate");
    // Misplaced records go back to their own topic, on the partition of their search.
    // "removal": the interface's one abstract method is the one Kafka marks for removal.
    @SuppressWarnings("removal")
    StreamPartitioner<String, Outgoing> bySearch =
        (topic, key, value, n) -> Optional.of(Set.of(SearchPartitions.of(key, n)));
    t.addSink(
        Placement.SINK,
        Outgoing.TOPIC,
        new StringSerializer(),
        Outgoing.SERIALIZER,
        bySearch,
        "aggregate");
    // Every team's limits, to choose where a team's samples go: read whole by every task, restored
    // from the topic (no changelog). Added last, so that the aggregator's sub-topology keeps id 0
    // and its tasks the ids (and local state) they had before.
    t.addGlobalStore(
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(TeamLimits.STORE), Serdes.String(), Serdes.String())
            .withLoggingDisabled(),
        "team-settings-source",
        new StringDeserializer(),
        new StringDeserializer(),
        TeamSettings.TOPIC,
        "team-settings-updater",
        TeamLimits.Updater::new);
    return t;
  }
}
