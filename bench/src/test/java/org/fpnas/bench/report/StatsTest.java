package org.fpnas.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StatsTest {
  @Test
  void theMedianOfAnOddCountIsTheMiddleValueWhateverTheOrder() {
    assertEquals(3.0, Stats.median(new double[] {5, 1, 3}));
  }

  @Test
  void theMedianOfAnEvenCountIsTheMeanOfTheTwoMiddleValues() {
    assertEquals(2.5, Stats.median(new double[] {4, 1, 3, 2}));
  }

  @Test
  void percentilesInterpolateBetweenTheClosestRanks() {
    double[] v = {10, 20, 30, 40, 50};
    assertEquals(10.0, Stats.percentile(v, 0));
    assertEquals(50.0, Stats.percentile(v, 100));
    assertEquals(20.0, Stats.percentile(v, 25));
    assertEquals(46.0, Stats.percentile(v, 90), 1e-12);
    assertEquals(49.6, Stats.percentile(v, 99), 1e-12);
  }

  @Test
  void aSingleValueIsEveryPercentile() {
    assertEquals(7.0, Stats.percentile(new double[] {7}, 99));
  }

  @Test
  void infinityStandsForNeverAndSortsLast() {
    double inf = Double.POSITIVE_INFINITY;
    assertEquals(2.0, Stats.median(new double[] {inf, 1, 2}));
    assertEquals(inf, Stats.median(new double[] {inf, inf, 1}));
    assertEquals(inf, Stats.median(new double[] {inf, 2, 1, inf}), "between 2 and inf");
    assertEquals(
        inf, Stats.percentile(new double[] {inf, inf}, 50), "never NaN between two infinities");
  }

  @Test
  void badInputIsRejectedWithItsReason() {
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> Stats.median(new double[0]))
            .getMessage()
            .contains("at least one value"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class, () -> Stats.median(new double[] {1, Double.NaN}))
            .getMessage()
            .contains("NaN"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> Stats.percentile(new double[] {1}, 101))
            .getMessage()
            .contains("[0, 100]"));
  }

  @Test
  void aRatioExistsOnlyBetweenFiniteNumbers() {
    assertEquals(0.5, Stats.ratio(1, 2));
    assertTrue(Double.isNaN(Stats.ratio(1, 0)));
    assertTrue(Double.isNaN(Stats.ratio(Double.POSITIVE_INFINITY, 2)));
  }

  @Test
  void aSummaryHoldsTheMedianAndTheSpread() {
    Summary s = Summary.of(new double[] {3, 1, 2, 10});
    assertEquals(4, s.n());
    assertEquals(1.0, s.min());
    assertEquals(2.5, s.median());
    assertEquals(10.0, s.max());
    assertEquals(5.0, s.scaled(2).median());
  }
}
