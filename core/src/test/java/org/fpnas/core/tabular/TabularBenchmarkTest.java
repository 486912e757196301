package org.fpnas.core.tabular;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fpnas.core.AccuracyLikelihood;
import org.fpnas.core.Hyperparameters;
import org.fpnas.core.InProcessSearch;
import org.fpnas.core.SearchResult;
import org.fpnas.core.space.Architecture;
import org.junit.jupiter.api.Test;

class TabularBenchmarkTest {
  static final String SPACE =
      """
      name: tiny
      layers:
        - name: a
          variables:
            op: [x, y]
        - name: b
          variables:
            op: [x, y]
      """;
  static final String MAPPING =
      """
      name: tiny
      space: space.yaml
      table: table.csv
      architecture: {column: arch, pattern: '(\\w+)-(\\w+)'}
      signal: {column: acc, unit: percent, classes: 10, batch: 100}
      cost: {column: cost}
      heldOut: {column: test}
      """;
  static final String TABLE =
      """
      arch,acc,cost,test
      x-x,50 52,1,51
      x-y,60 61 62,2,60
      y-x,70,3,72
      y-y,80 81,4,72
      """;

  static TabularBenchmark tiny(String mapping, String table) {
    Map<String, String> files = new HashMap<>();
    files.put("benchmark.yaml", mapping);
    files.put("space.yaml", SPACE);
    files.put("table.csv", table);
    files.put("table.json", table);
    return TabularBenchmark.read("tiny/benchmark.yaml", files::get);
  }

  static TableFormatException refused(String mapping, String table) {
    return assertThrows(TableFormatException.class, () -> tiny(mapping, table));
  }

  @Test
  void readsRowsSignalsCostsAndRanks() {
    TabularBenchmark b = tiny(MAPPING, TABLE);
    assertEquals(4, b.size());
    int xy = b.row(Architecture.parse("0|1"));
    assertEquals(3, b.seedCount(xy));
    assertEquals(0.61, b.accuracy(xy, 1), 1e-12);
    assertEquals(new AccuracyLikelihood(10, 100).logLikelihood(0.61), b.logLikelihood(xy, 1));
    assertEquals(2.0, b.cost(xy));
    assertEquals(60.0, b.heldOut(xy));
    // 72 twice shares rank 1, then 60 is third.
    assertEquals(1, b.rank(b.row(Architecture.parse("1|0"))));
    assertEquals(1, b.rank(b.row(Architecture.parse("1|1"))));
    assertEquals(3, b.rank(xy));
    assertEquals(b.row(Architecture.parse("1|0")), b.bestRow());
  }

  @Test
  void refusesAnArchitectureMissing() {
    TableFormatException e =
        refused(MAPPING, "arch,acc,cost,test\nx-x,50,1,51\nx-y,60,2,60\ny-x,70,3,72\n");
    assertEquals("tiny/table.csv", e.file());
    assertEquals("arch", e.column());
    assertTrue(e.getMessage().contains("no row for architecture 1|1"), e.getMessage());
  }

  @Test
  void refusesAColumnAbsentFromTheHeader() {
    TableFormatException e = refused(MAPPING, "arch,acc,test\nx-x,50,51\n");
    assertEquals("cost", e.column());
    assertTrue(
        e.getMessage().startsWith("tiny/table.csv: column 'cost': the header has no such column"),
        e.getMessage());
  }

  @Test
  void refusesAValueThatIsNotANumberNamingRowAndColumn() {
    TableFormatException e = refused(MAPPING, TABLE.replace("y-x,70,3,72", "y-x,70,3,n/a"));
    assertEquals(3, e.row());
    assertEquals("test", e.column());
    assertEquals("tiny/table.csv: row 3, column 'test': 'n/a' is not a number", e.getMessage());
    TableFormatException seed = refused(MAPPING, TABLE.replace("60 61 62", "60 6l 62"));
    assertEquals(2, seed.row());
    assertEquals("acc", seed.column());
    TableFormatException range = refused(MAPPING, TABLE.replace("80 81", "80 181"));
    assertTrue(
        range.getMessage().contains("row 4, column 'acc': accuracy 181 is outside 0..100"),
        range.getMessage());
    TableFormatException cost = refused(MAPPING, TABLE.replace("x-x,50 52,1", "x-x,50 52,-1"));
    assertEquals(1, cost.row());
    assertEquals("cost", cost.column());
  }

  @Test
  void refusesArchitecturesTheSpaceDoesNotHave() {
    TableFormatException unknownChoice = refused(MAPPING, TABLE.replace("y-y", "y-z"));
    assertEquals(4, unknownChoice.row());
    assertTrue(
        unknownChoice.getMessage().contains("'z' is not a choice of variable 'op' of layer 'b'"),
        unknownChoice.getMessage());
    TableFormatException duplicate = refused(MAPPING, TABLE.replace("y-y", "x-y"));
    assertTrue(
        duplicate
            .getMessage()
            .contains("row 4, column 'arch': architecture 0|1 is already in row 2"),
        duplicate.getMessage());
    TableFormatException noMatch = refused(MAPPING, TABLE.replace("y-y", "y+y"));
    assertTrue(
        noMatch.getMessage().contains("row 4, column 'arch': 'y+y' does not match"),
        noMatch.getMessage());
  }

  @Test
  void refusesABadMapping() {
    TableFormatException groups = refused(MAPPING.replace("(\\w+)-(\\w+)", "(\\w+)-\\w+"), TABLE);
    assertTrue(
        groups
            .getMessage()
            .startsWith(
                "tiny/benchmark.yaml: architecture.pattern has 1 groups, space 'tiny'"
                    + " has 2 variables"),
        groups.getMessage());
    TableFormatException unknown =
        refused(MAPPING.replace("cost: {column: cost}", "cost: {column: cost, unit: s}"), TABLE);
    assertTrue(unknown.getMessage().contains("unknown key 'cost.unit'"), unknown.getMessage());
    TableFormatException missing = refused(MAPPING.replace("heldOut: {column: test}\n", ""), TABLE);
    assertTrue(missing.getMessage().contains("'heldOut' is missing"), missing.getMessage());
  }

  @Test
  void readsJsonTablesKeyedByArchitectureAndRefusesARowWithoutAColumn() {
    String mapping =
        MAPPING.replace("table.csv", "table.json").replace("column: arch", "column: key");
    String json =
        """
        {"x-x": {"acc": [50, 52], "cost": 1, "test": 51}, "x-y": {"acc": [60, 61, 62], "cost": 2, "test": 60},
         "y-x": {"acc": [70], "cost": 3, "test": 72}, "y-y": {"acc": [80, 81], "cost": 4, "test": 72}}""";
    TabularBenchmark b = tiny(mapping, json);
    assertEquals(0.62, b.accuracy(b.row(Architecture.parse("0|1")), 2), 1e-12);
    TableFormatException e = refused(mapping, json.replace("\"cost\": 3, ", ""));
    assertEquals(3, e.row());
    assertEquals("cost", e.column());
    assertEquals("tiny/table.json: row 3, column 'cost': the column is absent", e.getMessage());
  }

  @Test
  void theTrainingSeedIsAPureFunctionOfSeedIterationAndIndexAndCoversEverySeed() {
    TabularBenchmark b = tiny(MAPPING, TABLE);
    TabularBenchmark again = tiny(MAPPING, TABLE);
    int xy = b.row(Architecture.parse("0|1"));
    Set<Integer> seen = new HashSet<>();
    for (int t = 0; t < 50; t++) {
      for (int k = 0; k < 4; k++) {
        int s = b.trainingSeed(xy, 7, t, k);
        assertEquals(s, again.trainingSeed(xy, 7, t, k));
        seen.add(s);
        assertEquals(b.logLikelihood(xy, s), b.query(Architecture.parse("0|1"), 7, t, k));
      }
    }
    assertEquals(Set.of(0, 1, 2), seen);
    boolean differs = false;
    for (int t = 0; t < 20; t++) {
      differs |= b.trainingSeed(xy, 7, t, 0) != b.trainingSeed(xy, 8, t, 0);
    }
    assertTrue(differs, "another search seed reads other training seeds");
  }

  @Test
  void theSameSeedGivesTheSameSearchBitForBit() {
    TabularBenchmark b = TabularBenchmark.shipped("nasbench201-cifar10");
    Hyperparameters hp =
        Hyperparameters.fromMap(Map.of("seed", "3", "maxIterations", "30", "learningRate", "0.1"));
    SearchResult one = new InProcessSearch(b.space(), hp, b.scorer(3)).run();
    SearchResult two =
        new InProcessSearch(b.space(), hp, TabularBenchmarks.get("nasbench201-cifar10").scorer(3))
            .run();
    assertEquals(one.finalState().distribution(), two.finalState().distribution());
    SearchResult other = new InProcessSearch(b.space(), hp.with("seed", "4"), b.scorer(4)).run();
    assertNotEquals(one.finalState().distribution(), other.finalState().distribution());
  }

  @Test
  void theHeldOutMetricNeverReachesTheSignal() {
    // The same table with the held-out column reversed: every query, and so every search, is
    // unchanged.
    TabularBenchmark b = tiny(MAPPING, TABLE);
    TabularBenchmark reversed =
        tiny(
            MAPPING,
            TABLE.replace(",51\n", ",1\n").replace(",60\n", ",99\n").replace(",72\n", ",-5\n"));
    assertNotEquals(b.heldOut(0), reversed.heldOut(0));
    for (int row = 0; row < b.size(); row++) {
      Architecture a = b.architecture(row);
      for (int t = 0; t < 10; t++) {
        for (int k = 0; k < 3; k++) {
          assertEquals(b.query(a, 1, t, k), reversed.query(a, 1, t, k));
          assertEquals(b.scorer(1).score(t, k, a), reversed.scorer(1).score(t, k, a));
        }
      }
    }
    Hyperparameters hp =
        Hyperparameters.fromMap(Map.of("maxIterations", "20", "learningRate", "0.1"));
    assertEquals(
        new InProcessSearch(b.space(), hp, b.scorer(0)).run().finalState().distribution(),
        new InProcessSearch(reversed.space(), hp, reversed.scorer(0))
            .run()
            .finalState()
            .distribution());
  }

  @Test
  void shipsNasBench201AndNasBenchMacroWithTheirKnownOptima() {
    TabularBenchmark nb201 = TabularBenchmarks.get("nasbench201-cifar10");
    assertEquals(15_625, nb201.size());
    assertEquals(94.37, nb201.heldOut(nb201.bestRow()), 0.005);
    assertEquals(6111, nb201.bestRow(), "the benchmark's own index of its best architecture");
    TabularBenchmark macro = TabularBenchmarks.get("nas-bench-macro-cifar10");
    assertEquals(6561, macro.size());
    assertEquals(Architecture.parse("2|2|2|1|2|2|2|0"), macro.architecture(macro.bestRow()));
    assertEquals(93.13, macro.heldOut(macro.bestRow()), 0.005);
    assertEquals(3, macro.seedCount(macro.bestRow()));
    assertEquals(85_164_544.0, macro.cost(macro.bestRow()));
    assertThrows(IllegalArgumentException.class, () -> TabularBenchmarks.get("nasbench301"));
  }

  @Test
  void anAccuracyBecomesTheSummedLogLikelihoodOfACalibratedClassifier() {
    AccuracyLikelihood l = new AccuracyLikelihood(10, 250);
    assertEquals(
        250 * (0.94 * Math.log(0.94) + 0.06 * Math.log(0.06 / 9)), l.logLikelihood(0.94), 1e-9);
    assertEquals(0.0, l.logLikelihood(1.0));
    assertEquals(250 * Math.log(1.0 / 9), l.logLikelihood(0.0), 1e-9);
    double previous = l.logLikelihood(0.1);
    for (int p = 11; p <= 100; p++) {
      double next = l.logLikelihood(p / 100.0);
      assertTrue(next > previous, "increasing above chance at " + p + "%");
      previous = next;
    }
    assertThrows(IllegalArgumentException.class, () -> l.logLikelihood(1.01));
    assertEquals(
        List.of("arch", "acc", "cost", "test"), BenchmarkMapping.parse(MAPPING, "m").columns());
  }
}
