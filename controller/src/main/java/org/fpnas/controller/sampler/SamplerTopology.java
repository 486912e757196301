package org.fpnas.controller.sampler;

import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;
import org.fpnas.controller.ControllerService;
import org.fpnas.controller.aggregator.AggregatorTopology;
import org.fpnas.controller.dispatch.Dispatcher;
import org.fpnas.controller.dispatch.PoolPacing;
import org.fpnas.controller.dispatch.internals.DispatchInputs;
import org.fpnas.controller.dispatch.internals.DispatcherProcessor;
import org.fpnas.controller.dispatch.internals.PoolDemand;
import org.fpnas.controller.dispatch.internals.TeamLimits;
import org.fpnas.controller.internals.ControllerMetrics;
import org.fpnas.controller.internals.DeadLetters;
import org.fpnas.controller.internals.Outgoing;
import org.fpnas.controller.internals.SamplePlacement;
import org.fpnas.schemas.Codecs;
import org.fpnas.schemas.PlainAvroSerde;
import org.fpnas.schemas.TeamSettings;
import org.fpnas.schemas.Topics;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.SearchSpec;
import org.fpnas.schemas.avro.TeamDispatch;

/**
 * The controller's sampler: every team's searches and distributions in, samples out. The samples of
 * a team without limits go straight out; those of a team with limits ({@link TeamLimits}) go
 * through the team's dispatcher, which publishes them within the limits ({@link Dispatcher}). The
 * sampler works per search, the dispatcher per team, so its inputs (samples, results, samples
 * dispatched again) are repartitioned by team on the internal topics {@code
 * fpnas-sampler-dispatch-samples-repartition} and {@code fpnas-sampler-dispatch-slots-repartition}.
 * Built without I/O; {@link ControllerService} runs it.
 */
public final class SamplerTopology {
  static final String SPECS = "sampler-specs";
  static final String SAMPLED = "sampler-sampled-iteration";
  static final String WAITING = "sampler-waiting";
  public static final String DISPATCH = "dispatcher-teams";

  /** Marks the sampler's output that goes to the dispatcher rather than to a topic. */
  static final String TO_DISPATCHER = "to-dispatcher";

  /** What frees a team's slots or needs one: results and samples dispatched again. */
  static final Pattern DISPATCH_INPUTS =
      Pattern.compile(
          Topics.EVALUATIONS_PATTERN.pattern()
              + "|"
              + Pattern.quote(AggregatorTopology.REDISPATCH_TOPIC));

  private static final Serde<Outgoing> OUTGOING =
      Serdes.serdeFrom(
          Outgoing.SERIALIZER,
          (topic, bytes) -> {
            throw new UnsupportedOperationException("outgoing records are never read back");
          });

  /**
   * Partitions of the dispatcher's repartition topics, fixed: derived from the pattern-subscribed
   * sources, it would change as team topics appear, and Kafka Streams refuses a changed count.
   */
  static final int DISPATCH_PARTITIONS = Topics.DEFAULT_SEARCH_PARTITIONS;

  private SamplerTopology() {}

  private static Repartitioned<String, byte[]> byTeam(String name) {
    return Repartitioned.<String, byte[]>as(name)
        .withKeySerde(Serdes.String())
        .withValueSerde(Serdes.ByteArray())
        .withNumberOfPartitions(DISPATCH_PARTITIONS);
  }

  /** A sink to the topic each record names; samples spread evenly over their topic's partitions. */
  private static Produced<String, Outgoing> toTopics(String name) {
    return Produced.with(Serdes.String(), OUTGOING)
        .withStreamPartitioner(new SamplePlacement())
        .withName(name);
  }

  public static Topology build(Codecs codecs) {
    return build(codecs, ControllerMetrics.none(), PoolPacing.off());
  }

  /**
   * The sampler, reporting to the given metrics; paced, every team's samples go through the
   * dispatcher, which keeps each team to its share of the evaluator pool ({@link PoolPacing}).
   */
  public static Topology build(Codecs codecs, ControllerMetrics metrics, PoolPacing pacing) {
    StreamsBuilder b = new StreamsBuilder();
    b.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(SPECS),
            Serdes.String(),
            new PlainAvroSerde<>(SearchSpec.class)));
    b.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(SAMPLED), Serdes.String(), Serdes.Integer()));
    b.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(WAITING),
            Serdes.String(),
            new PlainAvroSerde<>(DistributionUpdate.class)));
    b.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(DISPATCH),
            Serdes.String(),
            new PlainAvroSerde<>(TeamDispatch.class)));

    // A global store: read whole by every task; Kafka Streams restores it from the topic, so no
    // changelog.
    b.addGlobalStore(
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(TeamLimits.STORE), Serdes.String(), Serdes.String())
            .withLoggingDisabled(),
        TeamSettings.TOPIC,
        Consumed.with(Serdes.String(), Serdes.String()),
        TeamLimits.Updater::new);
    if (pacing.on()) {
      b.addGlobalStore(
          Stores.keyValueStoreBuilder(
                  Stores.inMemoryKeyValueStore(PoolDemand.STORE), Serdes.String(), Serdes.String())
              .withLoggingDisabled(),
          PoolDemand.TOPIC,
          Consumed.with(Serdes.String(), Serdes.String()),
          PoolDemand.Updater::new);
    }

    Consumed<String, byte[]> bytes = Consumed.with(Serdes.String(), Serdes.ByteArray());
    KStream<String, byte[]> searches =
        b.stream(Topics.SEARCHES_PATTERN, bytes.withName("searches"));
    KStream<String, byte[]> distributions =
        b.stream(Topics.DISTRIBUTIONS_PATTERN, bytes.withName("distributions"));
    KStream<String, Outgoing> sampled =
        searches
            .merge(distributions, Named.as("specs-and-distributions"))
            .process(
                () -> new SamplerProcessor(codecs, metrics, pacing),
                Named.as("sample"),
                SPECS,
                SAMPLED,
                WAITING);
    sampled
        .filterNot((k, v) -> v.topic().equals(TO_DISPATCHER), Named.as("dead-letters-only"))
        .to(Outgoing.TOPIC, toTopics(DeadLetters.SINK));

    // Two repartition topics, not one: merging before the repartition would put fpnas.teams (one
    // partition) into the sampler's sub-topology, whose task count (and changelogs) must follow the
    // team topics' partitions. Both have a fixed partition count, so they stay co-partitioned by
    // team.
    KStream<String, byte[]> samples =
        sampled
            .filter((k, v) -> v.topic().equals(TO_DISPATCHER), Named.as("samples-only"))
            .mapValues(Outgoing::bytes, Named.as("sample-events"))
            .repartition(byTeam("dispatch-samples"));
    KStream<String, byte[]> slots =
        b.stream(DISPATCH_INPUTS, bytes.withName("dispatch-inputs"))
            .process(() -> new DispatchInputs(codecs, pacing), Named.as("slot-events"))
            .repartition(byTeam("dispatch-slots"));
    samples
        .merge(slots, Named.as("team-events"))
        .process(() -> new DispatcherProcessor(codecs, pacing), Named.as("dispatch"), DISPATCH)
        .to(Outgoing.TOPIC, toTopics("samples"));
    return b.build();
  }
}
