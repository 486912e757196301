package org.fpnas.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.fpnas.core.Distribution;
import org.fpnas.core.FpNas;
import org.fpnas.core.Sampler;
import org.fpnas.core.SearchState;
import org.fpnas.schemas.Codecs;
import org.fpnas.schemas.LocalSchemaStore;
import org.fpnas.schemas.avro.ArchitectureSample;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.SearchSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SamplerTopologyTest {
  private static final String SEARCHES = "fpnas.default.searches";
  private static final String DISTRIBUTIONS = "fpnas.default.distributions";
  private static final String SAMPLES = "fpnas.default.samples";

  @TempDir
  Path stateDir;

  private final Codecs codecs = Codecs.of(new LocalSchemaStore());
  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> searches;
  private TestInputTopic<String, byte[]> distributions;
  private TestOutputTopic<String, byte[]> samples;
  private TestOutputTopic<String, byte[]> dlq;

  @BeforeEach
  void start() {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "sampler-test");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver = new TopologyTestDriver(SamplerTopology.build(codecs), p);
    searches = driver.createInputTopic(SEARCHES, new StringSerializer(), new ByteArraySerializer());
    distributions = driver.createInputTopic(DISTRIBUTIONS, new StringSerializer(), new ByteArraySerializer());
    samples = driver.createOutputTopic(SAMPLES, new StringDeserializer(), new ByteArrayDeserializer());
    dlq = driver.createOutputTopic("fpnas.default.dlq", new StringDeserializer(), new ByteArrayDeserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  @Test
  void aDistributionBecomesItsIterationsKSamplesDrawnFromTheSeed() {
    SearchSpec spec = Fixtures.spec("s1", Map.of("seed", "8"));
    submit(spec);
    DistributionUpdate first = initial(spec);
    publish(first);
    List<TestRecord<String, byte[]>> records = samples.readRecordsToList();
    assertEquals(first.getSampleCount(), records.size());
    Distribution d = WireConversions.distribution(Fixtures.SPACE, first);
    for (int k = 0; k < records.size(); k++) {
      ArchitectureSample s = codecs.samples().deserialize(SAMPLES, records.get(k).value());
      assertEquals("s1/0/" + k, records.get(k).key());
      assertEquals(s.getSampleId(), records.get(k).key());
      assertEquals(k, s.getIndex());
      assertEquals(first.getSampleCount(), s.getSampleCount());
      assertEquals(1, s.getAttempt());
      assertEquals(Sampler.sample(d, 8, 0, k), WireConversions.architecture(s.getChoices()));
    }
  }

  @Test
  void anIterationIsNeverSampledTwice() {
    SearchSpec spec = Fixtures.spec("s1", Map.of());
    submit(spec);
    DistributionUpdate first = initial(spec);
    publish(first);
    int k = samples.readRecordsToList().size();
    assertTrue(k > 0);
    publish(first);
    assertTrue(samples.isEmpty(), "a redelivered distribution must not be sampled again");
  }

  @Test
  void aFinalDistributionIsNotSampled() {
    SearchSpec spec = Fixtures.spec("s1", Map.of());
    submit(spec);
    publish(DistributionUpdate.newBuilder(initial(spec)).setDone(true).setStopReason("entropy").build());
    assertTrue(samples.isEmpty());
  }

  @Test
  void aDistributionThatOvertakesItsSpecWaitsForIt() {
    SearchSpec spec = Fixtures.spec("s1", Map.of());
    DistributionUpdate first = initial(spec);
    publish(first);
    assertTrue(samples.isEmpty());
    submit(spec);
    assertEquals(first.getSampleCount(), samples.readRecordsToList().size());
  }

  @Test
  void anUnreadableDistributionGoesToTheDeadLetterQueue() {
    distributions.pipeInput("s1", new byte[] {0, 0, 0, 0, 42, 1});
    var letters = dlq.readRecordsToList();
    assertEquals(1, letters.size());
    String error = codecs.deadLetters().deserialize("fpnas.default.dlq", letters.get(0).value()).getError();
    assertTrue(error.contains("unknown schema id 42"), error);
    assertTrue(samples.isEmpty());
  }

  private DistributionUpdate initial(SearchSpec spec) {
    var model = SearchModels.parse(spec);
    SearchState s = new FpNas(model.space(), model.hyperparameters()).initial();
    return WireConversions.update(spec.getSearchId(), spec.getTeam(), s, 0L).build();
  }

  private void submit(SearchSpec spec) {
    searches.pipeInput(spec.getSearchId(), codecs.specs().serialize(SEARCHES, spec));
  }

  private void publish(DistributionUpdate u) {
    distributions.pipeInput(u.getSearchId(), codecs.updates().serialize(DISTRIBUTIONS, u));
  }

  static List<ArchitectureSample> decode(Codecs codecs, List<TestRecord<String, byte[]>> records) {
    List<ArchitectureSample> out = new ArrayList<>();
    records.forEach(r -> out.add(codecs.samples().deserialize(SAMPLES, r.value())));
    return out;
  }
}
