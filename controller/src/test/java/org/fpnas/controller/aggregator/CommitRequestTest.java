package org.fpnas.controller.aggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.fpnas.controller.Fixtures;
import org.fpnas.controller.StreamsSettings;
import org.fpnas.controller.internals.ControllerMetrics;
import org.fpnas.controller.internals.Outgoing;
import org.fpnas.controller.internals.PoolPacing;
import org.fpnas.controller.internals.TeamLimits;
import org.fpnas.schemas.Codecs;
import org.fpnas.schemas.LocalSchemaStore;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.EvaluationResult;
import org.fpnas.schemas.avro.SearchSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The aggregator asks for a commit exactly when it publishes a distribution, which evaluators wait
 * for, and not for every result (a commit per result would be a transaction per result).
 */
class CommitRequestTest {
  private static final String SEARCHES = AggregatorHarness.SEARCHES;
  private static final String EVALUATIONS = AggregatorHarness.EVALUATIONS;

  @TempDir Path dir;

  @Test
  void aPublishedDistributionRequestsTheCommitAndAResultAloneDoesNot() {
    Codecs codecs = Codecs.of(new LocalSchemaStore());
    MockProcessorContext<String, Outgoing> context =
        new MockProcessorContext<>(
            StreamsSettings.production("commit-test", "unused:9092", dir),
            new TaskId(0, 0),
            dir.toFile());
    context.setCurrentSystemTimeMs(0);
    for (StoreBuilder<?> builder : SearchStores.builders()) {
      StateStore store = builder.withLoggingDisabled().build();
      store.init(context.getStateStoreContext(), store);
      context.addStateStore(store);
    }
    StateStore teams =
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(TeamLimits.STORE), Serdes.String(), Serdes.String())
            .withLoggingDisabled()
            .build();
    teams.init(context.getStateStoreContext(), teams);
    context.addStateStore(teams);
    AggregatorProcessor aggregator =
        new AggregatorProcessor(
            codecs,
            Deadlines.DEFAULT,
            PartitionCounts.SINGLE,
            ControllerMetrics.none(),
            PoolPacing.off());
    aggregator.init(context);

    SearchSpec spec = Fixtures.spec("s1", Map.of("fixedK", "6", "maxIterations", "3"));
    context.setRecordMetadata(SEARCHES, 0, 0);
    aggregator.process(new Record<>("s1", codecs.specs().serialize(SEARCHES, spec), 0));
    assertTrue(context.committed(), "iteration 0 published");
    DistributionUpdate first = published(codecs, context);
    assertEquals(0, first.getIteration());
    assertEquals(
        first.getSampleCount(),
        context.forwarded(IterationSamples.SAMPLES_SINK).size(),
        "its samples in the same processor call, so in the same transaction");

    context.resetCommit();
    context.resetForwards();
    List<EvaluationResult> results = Fixtures.results(spec, first);
    for (int i = 0; i < results.size(); i++) {
      context.setRecordMetadata(EVALUATIONS, 0, i);
      aggregator.process(
          new Record<>("s1", codecs.results().serialize(EVALUATIONS, results.get(i)), 1));
      if (i < results.size() - 1) {
        assertFalse(context.committed(), "no commit requested for result " + i);
      }
    }
    assertTrue(context.committed(), "iteration 1 published");
    assertEquals(1, published(codecs, context).getIteration());
    assertEquals(6, context.forwarded(IterationSamples.SAMPLES_SINK).size());
  }

  private static DistributionUpdate published(
      Codecs codecs, MockProcessorContext<String, Outgoing> context) {
    List<MockProcessorContext.CapturedForward<? extends String, ? extends Outgoing>> out =
        context.forwarded(AggregatorTopology.DISTRIBUTIONS_SINK);
    assertEquals(1, out.size());
    Outgoing o = out.get(0).record().value();
    return codecs.updates().deserialize(o.topic(), o.bytes());
  }
}
