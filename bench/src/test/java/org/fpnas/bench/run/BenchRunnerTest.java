package org.fpnas.bench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.fpnas.bench.Bench;
import org.junit.jupiter.api.Test;

class BenchRunnerTest {
  @Test
  void everyBenchmarkOfTheIssueIsThereOnceInItsOrder() {
    assertEquals(
        List.of(
            "adaptive-sampling",
            "coarse-to-fine",
            "search-quality",
            "async-scaling",
            "pipeline-overhead",
            "evaluator-scaling",
            "control-latency",
            "aggregator-throughput",
            "replay-throughput",
            "djl-evaluator"),
        BenchRunner.all().stream().map(Bench::name).toList());
  }

  @Test
  void onlyKeepsTheCanonicalOrder() {
    assertEquals(
        List.of("coarse-to-fine", "replay-throughput"),
        BenchRunner.select(List.of("replay-throughput", "coarse-to-fine")).stream()
            .map(Bench::name)
            .toList());
    assertEquals(10, BenchRunner.select(List.of()).size(), "the default run names none of them");
  }

  @Test
  void theLongBenchmarksRunOnlyWhenNamed() {
    assertEquals(
        List.of("supernet-ranking", "search-memory"),
        BenchRunner.onlyWhenNamed().stream().map(Bench::name).toList());
    assertEquals(
        List.of("djl-evaluator", "supernet-ranking"),
        BenchRunner.select(List.of("supernet-ranking", "djl-evaluator")).stream()
            .map(Bench::name)
            .toList());
  }

  @Test
  void anUnknownNameIsAnErrorThatListsTheKnownOnes() {
    String message =
        assertThrows(IllegalArgumentException.class, () -> BenchRunner.select(List.of("speed")))
            .getMessage();
    assertTrue(
        message.contains("unknown benchmark 'speed'")
            && message.contains("adaptive-sampling")
            && message.contains("supernet-ranking"),
        message);
  }
}
