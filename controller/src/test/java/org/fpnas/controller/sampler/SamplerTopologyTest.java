package org.fpnas.controller.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.fpnas.controller.Fixtures;
import org.fpnas.controller.fold.WireConversions;
import org.fpnas.core.Distribution;
import org.fpnas.core.Sampler;
import org.fpnas.schemas.Codecs;
import org.fpnas.schemas.avro.ArchitectureSample;
import org.fpnas.schemas.avro.DeadLetter;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.SearchSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SamplerTopologyTest {
  @TempDir Path stateDir;

  private SamplerHarness h;
  private Codecs codecs;

  @BeforeEach
  void start() {
    h = new SamplerHarness(stateDir);
    codecs = h.codecs;
  }

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void aDistributionBecomesItsIterationsKSamplesDrawnFromTheSeed() {
    SearchSpec spec = Fixtures.spec("s1", Map.of("seed", "8"));
    h.submit(spec);
    DistributionUpdate first = SamplerHarness.initial(spec);
    h.publish(first);
    List<TestRecord<String, byte[]>> records = h.sampleRecords();
    assertEquals(first.getSampleCount(), records.size());
    Distribution d = WireConversions.distribution(Fixtures.SPACE, first);
    for (int k = 0; k < records.size(); k++) {
      ArchitectureSample s =
          codecs.samples().deserialize(SamplerHarness.SAMPLES, records.get(k).value());
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
    h.submit(spec);
    DistributionUpdate first = SamplerHarness.initial(spec);
    h.publish(first);
    int k = h.sampleRecords().size();
    assertTrue(k > 0);
    h.publish(first);
    assertTrue(h.noSamples(), "a redelivered distribution must not be sampled again");
  }

  @Test
  void aFinalDistributionIsNotSampled() {
    SearchSpec spec = Fixtures.spec("s1", Map.of());
    h.submit(spec);
    h.publish(
        DistributionUpdate.newBuilder(SamplerHarness.initial(spec))
            .setDone(true)
            .setStopReason("entropy")
            .build());
    assertTrue(h.noSamples());
  }

  @Test
  void aDistributionThatOvertakesItsSpecWaitsForIt() {
    SearchSpec spec = Fixtures.spec("s1", Map.of());
    DistributionUpdate first = SamplerHarness.initial(spec);
    h.publish(first);
    assertTrue(h.noSamples());
    h.submit(spec);
    assertEquals(first.getSampleCount(), h.sampleRecords().size());
  }

  @Test
  void anUnreadableDistributionGoesToTheDeadLetterQueue() {
    h.publishRaw("s1", new byte[] {0, 0, 0, 0, 42, 1});
    List<DeadLetter> letters = h.deadLetters();
    assertEquals(1, letters.size());
    String error = letters.get(0).getError();
    assertTrue(error.contains("unknown schema id 42"), error);
    assertTrue(h.noSamples());
  }
}
