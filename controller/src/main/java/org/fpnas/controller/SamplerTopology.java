package org.fpnas.controller;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;
import org.fpnas.schemas.PlainAvroSerde;
import org.fpnas.schemas.Topics;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.SearchSpec;

/**
 * The controller's sampler: every team's searches and distributions in, samples out. Built
 * without I/O; {@link ControllerService} runs it.
 */
public final class SamplerTopology {
  static final String SPECS = "sampler-specs";
  static final String SAMPLED = "sampler-sampled-iteration";
  static final String WAITING = "sampler-waiting";
  static final String SAMPLES_SINK = "samples";

  private SamplerTopology() {}

  public static Topology build(Codecs codecs) {
    Topology t = new Topology();
    t.addSource("searches", new StringDeserializer(), new ByteArrayDeserializer(), Topics.SEARCHES_PATTERN);
    t.addSource("distributions", new StringDeserializer(), new ByteArrayDeserializer(), Topics.DISTRIBUTIONS_PATTERN);
    t.addProcessor("sample", () -> new SamplerProcessor(codecs), "searches", "distributions");
    t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SPECS), Serdes.String(),
        new PlainAvroSerde<>(SearchSpec.class)), "sample");
    t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SAMPLED), Serdes.String(),
        Serdes.Integer()), "sample");
    t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(WAITING), Serdes.String(),
        new PlainAvroSerde<>(DistributionUpdate.class)), "sample");
    t.addSink(SAMPLES_SINK, Outgoing.TOPIC, new StringSerializer(), Outgoing.SERIALIZER, "sample");
    t.addSink(DeadLetters.SINK, Outgoing.TOPIC, new StringSerializer(), Outgoing.SERIALIZER, "sample");
    return t;
  }
}
