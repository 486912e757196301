package org.fpnas.controller.aggregator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.fpnas.controller.Fixtures;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.EvaluationResult;
import org.fpnas.schemas.avro.SearchSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ended search leaves the aggregator's stores but for its small tally, which still tells a late
 * result and a reused id.
 */
class EndedSearchTest {
  @TempDir Path dir;

  @Test
  void anEndedSearchKeepsOnlyItsTallyWhichStillTellsLateResultsAndReusedIds() {
    try (AggregatorHarness h = new AggregatorHarness(dir.resolve("state"))) {
      SearchSpec spec = Fixtures.spec("e1", Map.of("fixedK", "3", "maxIterations", "2"));
      List<DistributionUpdate> run = h.runToEnd(spec, new Random(1));
      assertArrayEquals(new Object[] {null, null}, h.held("e1"), "spec and distribution gone");
      assertNotNull(h.tally("e1"));
      assertTrue(h.tally("e1").getDone());
      EvaluationResult late = Fixtures.results(spec, run.get(run.size() - 2)).get(0);
      h.send(late);
      assertEquals(1, h.tally("e1").getLate());
      h.submit(SearchSpec.newBuilder(spec).setSubmittedAtMs(spec.getSubmittedAtMs() + 5).build());
      assertTrue(h.updates().isEmpty());
      assertTrue(h.deadLetters().get(0).getError().contains("already used"));
    }
  }
}
