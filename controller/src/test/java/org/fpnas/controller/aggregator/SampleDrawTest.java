package org.fpnas.controller.aggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.streams.test.TestRecord;
import org.fpnas.client.fold.SearchModels;
import org.fpnas.client.wire.WireConversions;
import org.fpnas.controller.Fixtures;
import org.fpnas.controller.internals.PoolPacing;
import org.fpnas.core.Distribution;
import org.fpnas.core.Sampler;
import org.fpnas.schemas.Codecs;
import org.fpnas.schemas.LocalSchemaStore;
import org.fpnas.schemas.avro.ArchitectureSample;
import org.fpnas.schemas.avro.DispatchEvent;
import org.fpnas.schemas.avro.DispatchKind;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.SearchSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The aggregator draws each iteration's samples with the distribution that opens it ({@link
 * IterationSamples}): straight to the samples topic for a team without limits when unpaced, to the
 * dispatcher otherwise; and a search taken over from a controller that drew samples in its sampler
 * gets the samples that sampler had not handed out.
 */
class SampleDrawTest {
  private static final Deadlines DEADLINES = Deadlines.DEFAULT;

  @TempDir Path stateDir;

  private AggregatorHarness h;

  @AfterEach
  void stop() {
    if (h != null) {
      h.close();
    }
  }

  private AggregatorHarness harness(PoolPacing pacing) {
    h = new AggregatorHarness(stateDir, DEADLINES, PartitionCounts.SINGLE, pacing);
    return h;
  }

  @Test
  void aDistributionComesWithItsIterationsKSamplesDrawnFromTheSeed() {
    harness(PoolPacing.off());
    SearchSpec spec = Fixtures.spec("s1", Map.of("seed", "8"));
    h.submit(spec);
    DistributionUpdate first = h.updates().get(0);
    List<TestRecord<String, byte[]>> records = h.sampleRecords();
    assertEquals(first.getSampleCount(), records.size());
    Distribution d = WireConversions.distribution(Fixtures.SPACE, first);
    for (int k = 0; k < records.size(); k++) {
      ArchitectureSample s =
          h.codecs.samples().deserialize("fpnas.default.samples", records.get(k).value());
      assertEquals("s1/0/" + k, records.get(k).key());
      assertEquals(s.getSampleId(), records.get(k).key());
      assertEquals(k, s.getIndex());
      assertEquals(first.getSampleCount(), s.getSampleCount());
      assertEquals(1, s.getAttempt());
      assertEquals(first.getVersion(), s.getDistributionVersion());
      assertEquals(Sampler.sample(d, 8, 0, k), WireConversions.architecture(s.getChoices()));
    }
    assertTrue(h.dispatched().isEmpty(), "unpaced, a team without limits skips the dispatcher");
  }

  @Test
  void everyIterationButTheLastIsSampledOnceAndARedeliveredSpecDrawsNothing() {
    harness(PoolPacing.off());
    SearchSpec spec = Fixtures.spec("s1", Map.of("fixedK", "5", "maxIterations", "4"));
    List<DistributionUpdate> all = h.runToEnd(spec, new Random(1));
    List<ArchitectureSample> samples = h.samples();
    long seed = SearchModels.parse(spec).hyperparameters().seed();
    assertEquals(5 * (all.size() - 1), samples.size());
    for (int i = 0; i < all.size() - 1; i++) {
      DistributionUpdate u = all.get(i);
      Distribution d = WireConversions.distribution(Fixtures.SPACE, u);
      List<ArchitectureSample> mine =
          samples.stream().filter(s -> s.getIteration() == u.getIteration()).toList();
      assertEquals(5, mine.size(), "iteration " + u.getIteration());
      for (ArchitectureSample s : mine) {
        assertEquals(
            Sampler.sample(d, seed, u.getIteration(), s.getIndex()),
            WireConversions.architecture(s.getChoices()));
      }
    }
    List<TestRecord<String, DispatchEvent>> ends = h.dispatched();
    assertEquals(1, ends.size());
    assertEquals(DispatchKind.SEARCH_ENDED, ends.get(0).value().getKind());
    h.submit(spec);
    assertTrue(h.sampleRecords().isEmpty() && h.updates().isEmpty());
  }

  @Test
  void aTeamWithLimitsGetsItsSamplesThroughItsDispatcher() {
    harness(PoolPacing.off());
    h.limits("default", 2, 0);
    h.submit(Fixtures.spec("s1", Map.of("fixedK", "6")));
    assertTrue(h.sampleRecords().isEmpty());
    List<TestRecord<String, DispatchEvent>> events = h.dispatched();
    assertEquals(6, events.size());
    for (int k = 0; k < 6; k++) {
      assertEquals("default", events.get(k).key(), "keyed by team");
      assertEquals(DispatchKind.SAMPLE, events.get(k).value().getKind());
      assertEquals("s1/0/" + k, events.get(k).value().getSampleId());
    }
  }

  @Test
  void pacedEveryTeamsSamplesGoThroughTheDispatcher() {
    harness(PoolPacing.following(() -> 8));
    h.submit(Fixtures.spec("s1", Map.of("fixedK", "6")));
    assertTrue(h.sampleRecords().isEmpty());
    assertEquals(6, h.dispatched().size());
  }

  @Test
  void theAggregatorsTasksKeepTheIdsTheyHadBeforeTheGlobalStoreWasAdded() {
    var described =
        AggregatorTopology.build(Codecs.of(new LocalSchemaStore()), DEADLINES).describe();
    var aggregate =
        described.subtopologies().stream()
            .filter(st -> st.nodes().stream().anyMatch(n -> n.name().equals("aggregate")))
            .findFirst()
            .orElseThrow();
    assertEquals(0, aggregate.id(), "task ids 0_p: local state and changelog partitions as before");
  }
}
