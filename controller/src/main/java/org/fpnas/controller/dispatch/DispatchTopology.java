package org.fpnas.controller.dispatch;

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
import org.fpnas.controller.internals.Outgoing;
import org.fpnas.controller.internals.PoolPacing;
import org.fpnas.controller.internals.SamplePlacement;
import org.fpnas.controller.internals.TeamLimits;
import org.fpnas.schemas.Codecs;
import org.fpnas.schemas.PlainAvroSerde;
import org.fpnas.schemas.TeamSettings;
import org.fpnas.schemas.Topics;
import org.fpnas.schemas.avro.TeamDispatch;

/**
 * The controller's dispatcher application (application id {@value
 * Topics#DISPATCHER_APPLICATION_ID}): the samples the aggregator drew for it in, each team's
 * samples out within the team's limits and, paced, its share of the evaluator pool ({@link
 * Dispatcher}). It works per team: the aggregator writes its samples keyed by team to {@value
 * Topics#DISPATCH_SAMPLES_TOPIC}, and what frees a slot or needs one (results, samples dispatched
 * again) is repartitioned by team on {@code fpnas-dispatcher-dispatch-slots-repartition}; both have
 * {@link #DISPATCH_PARTITIONS} partitions and the default partitioner, so a team's events meet in
 * one task. Built without I/O; {@code ControllerService} runs it.
 */
public final class DispatchTopology {
  public static final String DISPATCH = "dispatcher-teams";

  /** What frees a team's slots or needs one: results and samples dispatched again. */
  static final Pattern DISPATCH_INPUTS =
      Pattern.compile(
          Topics.EVALUATIONS_PATTERN.pattern() + "|" + Pattern.quote(Topics.REDISPATCH_TOPIC));

  private static final Serde<Outgoing> OUTGOING =
      Serdes.serdeFrom(
          Outgoing.SERIALIZER,
          (topic, bytes) -> {
            throw new UnsupportedOperationException("outgoing records are never read back");
          });

  /**
   * Partitions of the dispatcher's input topics, fixed: derived from the pattern-subscribed
   * sources, it would change as team topics appear, and Kafka Streams refuses a changed count.
   */
  /**
   * Each team's demand of the evaluator pool, compacted, one partition; created by the controller
   * and read whole by every task of a paced dispatcher.
   */
  public static final String POOL_DEMAND_TOPIC = PoolDemand.TOPIC;

  public static final int DISPATCH_PARTITIONS = Topics.DEFAULT_SEARCH_PARTITIONS;

  private DispatchTopology() {}

  public static Topology build(Codecs codecs) {
    return build(codecs, PoolPacing.off());
  }

  /**
   * The dispatcher; paced, it keeps each team to its share of the evaluator pool ({@link
   * PoolPacing}), and the aggregator hands it every team's samples.
   */
  public static Topology build(Codecs codecs, PoolPacing pacing) {
    StreamsBuilder b = new StreamsBuilder();
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
    // Already keyed by team on DISPATCH_PARTITIONS partitions: read as they are, no repartition.
    KStream<String, byte[]> samples =
        b.stream(Topics.DISPATCH_SAMPLES_TOPIC, bytes.withName("dispatch-samples"));
    KStream<String, byte[]> slots =
        b.stream(DISPATCH_INPUTS, bytes.withName("dispatch-inputs"))
            .process(() -> new DispatchInputs(codecs, pacing), Named.as("slot-events"))
            .repartition(
                Repartitioned.<String, byte[]>as("dispatch-slots")
                    .withKeySerde(Serdes.String())
                    .withValueSerde(Serdes.ByteArray())
                    .withNumberOfPartitions(DISPATCH_PARTITIONS));
    samples
        .merge(slots, Named.as("team-events"))
        .process(() -> new DispatcherProcessor(codecs, pacing), Named.as("dispatch"), DISPATCH)
        .to(
            Outgoing.TOPIC,
            Produced.with(Serdes.String(), OUTGOING)
                .withStreamPartitioner(new SamplePlacement())
                .withName("samples"));
    return b.build();
  }
}
