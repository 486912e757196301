package org.fpnas.controller.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Weighted max-min fair shares of the evaluator pool. */
class PoolSharesTest {
  private static double equal(String team) {
    return 1.0;
  }

  @Test
  void aTeamAloneGetsTheWholePool() {
    assertEquals(16, PoolShares.shareOf(16, "a", Map.of(), PoolSharesTest::equal));
    assertEquals(16, PoolShares.shareOf(16, "a", Map.of("b", 0), PoolSharesTest::equal));
    assertEquals(
        16,
        PoolShares.shareOf(16, "a", Map.of("a", 3), PoolSharesTest::equal),
        "own entry ignored");
  }

  @Test
  void equalWeightsSplitEqually() {
    assertEquals(8, PoolShares.shareOf(16, "a", Map.of("b", 100), PoolSharesTest::equal));
    assertEquals(5, PoolShares.shareOf(16, "a", Map.of("b", 100, "c", 100), PoolSharesTest::equal));
  }

  @Test
  void whatASmallTeamLeavesGoesToTheOthers() {
    assertEquals(14, PoolShares.shareOf(16, "a", Map.of("b", 2), PoolSharesTest::equal));
    // c wants 3 of its 16/3 share; b and a split the remaining 13.
    assertEquals(6, PoolShares.shareOf(16, "a", Map.of("b", 100, "c", 3), PoolSharesTest::equal));
  }

  @Test
  void weightsSetTheProportions() {
    Map<String, Double> w = Map.of("a", 3.0, "b", 1.0);
    assertEquals(12, PoolShares.shareOf(16, "a", Map.of("b", 100), w::get));
    assertEquals(4, PoolShares.shareOf(16, "b", Map.of("a", 100), w::get));
  }

  @Test
  void noTeamWithDemandIsStarvedByASmallPool() {
    int share = PoolShares.shareOf(2, "a", Map.of("b", 9, "c", 9, "d", 9), PoolSharesTest::equal);
    assertTrue(share >= 1, "at least one, got " + share);
  }

  @Test
  void badInputIsNamed() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> PoolShares.shareOf(0, "a", Map.of(), PoolSharesTest::equal));
    assertTrue(e.getMessage().contains("pool window"), e.getMessage());
    var w =
        assertThrows(
            IllegalArgumentException.class,
            () -> PoolShares.shareOf(4, "a", Map.of("b", 1), t -> t.equals("b") ? -1 : 1));
    assertTrue(w.getMessage().contains("weight of team b"), w.getMessage());
  }
}
