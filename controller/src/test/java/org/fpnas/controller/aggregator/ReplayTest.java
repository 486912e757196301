package org.fpnas.controller.aggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.fpnas.client.SearchSpecs;
import org.fpnas.client.history.*;
import org.fpnas.controller.Fixtures;
import org.fpnas.core.SearchState;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.EvaluationResult;
import org.fpnas.schemas.avro.SearchSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replay, what-if, fork and export on histories recorded by the real aggregator topology. */
class ReplayTest {
  private static final Map<String, String> SETTINGS =
      Map.of(
          "seed",
          "21",
          "maxIterations",
          "15",
          "factorizedIterations",
          "6",
          "learningRate",
          "0.1",
          "beta",
          "0",
          "costTarget",
          "1e9",
          "costPenalty",
          "hinge");

  @TempDir Path dir;

  private AggregatorHarness h;

  @BeforeEach
  void start() {
    h = new AggregatorHarness(dir.resolve("state"));
  }

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void theReplayOfAFinishedSearchIsIdentical() {
    SearchSpec spec = Fixtures.spec("s1", SETTINGS);
    h.runToEnd(spec, new Random(3));
    Replay.Report report = Replay.verify(h.log(spec));
    assertTrue(report.identical(), String.valueOf(report.firstMismatch()));
    assertEquals(15, report.iterationsChecked());
  }

  @Test
  void aDuplicatedAndALateResultReplayIdentically() {
    SearchSpec spec = Fixtures.spec("s1", SETTINGS);
    h.submit(spec);
    DistributionUpdate first = h.updates().get(0);
    List<EvaluationResult> results = Fixtures.results(spec, first);
    h.send(results.get(0));
    h.send(results.get(0));
    results.subList(1, results.size()).forEach(h::send);
    h.send(results.get(1));
    DistributionUpdate second = h.updates().get(0);
    Fixtures.results(spec, second).forEach(h::send);
    h.updates();
    Replay.Report report = Replay.verify(h.log(spec));
    assertTrue(report.identical(), String.valueOf(report.firstMismatch()));
    assertEquals(
        2,
        report.iterationsChecked(),
        "a running search replays up to its last complete iteration");
  }

  @Test
  void aTamperedHistoryIsCaughtAtTheFirstIterationThatDiffers() {
    // Softmax weights move with any change of a log-likelihood, so the logits differ first.
    assertEquals("logits", firstMismatchOfATamperedLog("s1", "softmax"));
    // Rank weights ignore a change that keeps the order: the logits stay, the statistics do not.
    assertEquals("meanLogLikelihood", firstMismatchOfATamperedLog("s2", "rank"));
  }

  private String firstMismatchOfATamperedLog(String id, String weighting) {
    Map<String, String> settings = new java.util.HashMap<>(SETTINGS);
    settings.put("weighting", weighting);
    SearchSpec spec = Fixtures.spec(id, settings);
    h.runToEnd(spec, new Random(3));
    SearchLog log = h.log(spec);
    List<EvaluationResult> tampered = new ArrayList<>(log.results());
    int victim = 0;
    while (tampered.get(victim).getIteration() != 4) {
      victim++;
    }
    EvaluationResult r = tampered.get(victim);
    tampered.set(
        victim,
        EvaluationResult.newBuilder(r).setLogLikelihood(r.getLogLikelihood() + 1e-9).build());
    Replay.Report report = Replay.verify(new SearchLog(spec, log.updates(), tampered));
    assertFalse(report.identical());
    assertEquals(5, report.firstMismatch().iteration(), "the update that used the changed result");
    return report.firstMismatch().field();
  }

  @Test
  void aWhatIfWithTheOriginalSettingsIsIdenticalAndAnotherBetaDiffers() {
    SearchSpec spec = Fixtures.spec("s1", SETTINGS);
    List<DistributionUpdate> recorded = h.runToEnd(spec, new Random(3));
    SearchLog log = h.log(spec);
    WhatIf.Report same = WhatIf.run(log, Map.of());
    assertEquals(recorded.size(), same.whatIfStates().size());
    for (int t = 0; t < recorded.size(); t++) {
      SearchState s = same.whatIfStates().get(t);
      AggregatorTopologyTest.assertBitIdentical(s, recorded.get(t));
    }
    assertTrue(same.sameFinalArchitecture());
    double medianCost = medianCost(log);
    WhatIf.Report changed =
        WhatIf.run(log, Map.of("beta", "2", "costTarget", Double.toString(medianCost)));
    assertNotEquals(
        recorded.get(recorded.size() - 1).getEntropy(),
        changed.whatIfFinal().distribution().entropy());
    assertThrows(IllegalArgumentException.class, () -> WhatIf.run(log, Map.of("seed", "1")));
    assertThrows(IllegalArgumentException.class, () -> WhatIf.run(log, Map.of("nonsense", "1")));
  }

  @Test
  void aForkWithTheParentsSettingsContinuesExactlyAsTheParentAndTwiceTheSame() {
    SearchSpec parent = Fixtures.spec("parent", SETTINGS);
    List<DistributionUpdate> recorded = h.runToEnd(parent, new Random(3));
    SearchSpec fork = SearchSpecs.fork(h.log(parent), 5, Map.of(), "child", 2L);
    assertEquals("parent", fork.getParentSearchId());
    assertEquals(5, fork.getForkIteration());
    List<DistributionUpdate> child = h.runToEnd(fork, new Random(4));
    assertEquals(recorded.size() - 5, child.size());
    for (int i = 0; i < child.size(); i++) {
      DistributionUpdate c = child.get(i);
      DistributionUpdate p = recorded.get(i + 5);
      assertEquals(p.getIteration(), c.getIteration());
      assertEquals(p.getLogits(), c.getLogits(), "iteration " + c.getIteration());
      assertEquals(p.getSampleCount(), c.getSampleCount());
    }
    // The fork is itself replayable, and a second fork with the same settings does the same.
    assertTrue(Replay.verify(h.log(fork)).identical());
    SearchSpec again = SearchSpecs.fork(h.log(parent), 5, Map.of(), "child2", 3L);
    List<DistributionUpdate> child2 = h.runToEnd(again, new Random(5));
    assertEquals(
        child.get(child.size() - 1).getLogits(), child2.get(child2.size() - 1).getLogits());
  }

  @Test
  void aForkWithOtherSettingsGoesItsOwnWay() {
    SearchSpec parent = Fixtures.spec("parent", SETTINGS);
    List<DistributionUpdate> recorded = h.runToEnd(parent, new Random(3));
    SearchSpec fork =
        SearchSpecs.fork(
            h.log(parent), 5, Map.of("learningRate", "0.3", "maxIterations", "20"), "child", 2L);
    List<DistributionUpdate> child = h.runToEnd(fork, new Random(4));
    assertEquals(
        recorded.get(5).getLogits(), child.get(0).getLogits(), "it starts where the parent was");
    assertEquals(20, child.get(child.size() - 1).getIteration());
    assertNotEquals(recorded.get(6).getLogits(), child.get(1).getLogits());
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SearchSpecs.fork(h.log(parent), 99, Map.of(), "x", 1L));
    assertTrue(e.getMessage().contains("no distribution of iteration 99"), e.getMessage());
  }

  @Test
  void theExportHasOneRowPerIterationAndPerResult() throws Exception {
    SearchSpec spec = Fixtures.spec("s1", SETTINGS);
    List<DistributionUpdate> recorded = h.runToEnd(spec, new Random(3));
    h.send(Fixtures.failed("s1", 15, 0, "late and failed"));
    SearchLog log = h.log(spec);
    Export.Written csv = Export.write(log, Export.Format.CSV, dir.resolve("csv"));
    List<String> iterations = Files.readAllLines(csv.iterations());
    List<String> samples = Files.readAllLines(csv.samples());
    assertEquals(recorded.size() + 1, iterations.size(), "header + one row per distribution");
    assertEquals(log.results().size() + 1, samples.size(), "header + one row per result");
    assertEquals(String.join(",", Export.SAMPLE_COLUMNS), samples.get(0));
    // Importance weights of an iteration sum to one.
    double sum = 0;
    for (var row : Export.sampleRows(log)) {
      if (Integer.valueOf(0).equals(row.get("iteration"))) {
        sum += (Double) row.get("importanceWeight");
      }
      assertNotNull(row.get("architecture"));
    }
    assertEquals(1.0, sum, 1e-12);
    Export.Written json = Export.write(log, Export.Format.JSON, dir.resolve("json"));
    var tree =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(Files.readString(json.samples()));
    assertEquals(log.results().size(), tree.size());
    assertNull(
        Export.sampleRows(log).get(log.results().size() - 1).get("importanceWeight"),
        "the late result was not used");
  }

  private static double medianCost(SearchLog log) {
    double[] costs =
        log.results().stream().mapToDouble(EvaluationResult::getCost).sorted().toArray();
    return costs[costs.length / 2];
  }
}
