package org.fpnas.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RankCorrelationTest {
  @Test
  void theSameOrderIsOneAndTheReverseMinusOne() {
    double[] x = {1, 2, 3, 4, 5};
    RankCorrelation same = RankCorrelation.of(x, new double[] {10, 20, 25, 70, 90});
    assertEquals(1, same.kendallTau(), 1e-12);
    assertEquals(1, same.spearmanRho(), 1e-12);
    RankCorrelation reverse = RankCorrelation.of(x, new double[] {0.9, 0.8, 0.5, 0.2, 0.1});
    assertEquals(-1, reverse.kendallTau(), 1e-12);
    assertEquals(-1, reverse.spearmanRho(), 1e-12);
    assertEquals(same.kendallP(), reverse.kendallP(), 1e-12);
  }

  @Test
  void matchesHandCountedPairs() {
    // y against x = 1..5: of the 10 pairs only (2,3) and (4,5) are discordant, so tau = (8 - 2) /
    // 10; rank differences 0, 1, -1, 1, -1, so rho = 1 - 6 * 4 / (5 * 24).
    RankCorrelation r =
        RankCorrelation.of(new double[] {1, 2, 3, 4, 5}, new double[] {1, 3, 2, 5, 4});
    assertEquals(0.6, r.kendallTau(), 1e-12);
    assertEquals(0.8, r.spearmanRho(), 1e-12);
    // 4 concordant and 6 discordant pairs; rank differences -2, 0, -2, 0, 4.
    RankCorrelation s =
        RankCorrelation.of(new double[] {1, 2, 3, 4, 5}, new double[] {2, 1, 4, 3, 0});
    assertEquals(-0.2, s.kendallTau(), 1e-12);
    assertEquals(1 - 6 * 24 / 120.0, s.spearmanRho(), 1e-12);
  }

  @Test
  void tiesAreTauB() {
    // x has one tie (items 1 and 2); y is strictly increasing. n0 = 6, n1 = 1, n2 = 0:
    // concordant 5, discordant 0, tau-b = 5 / sqrt((6 - 1) * 6).
    RankCorrelation r = RankCorrelation.of(new double[] {1, 1, 2, 3}, new double[] {1, 2, 3, 4});
    assertEquals(5 / Math.sqrt(30), r.kendallTau(), 1e-12);
  }

  @Test
  void thePValueFallsWithAgreementAndItems() {
    double[] x = new double[16];
    double[] y = new double[16];
    for (int i = 0; i < 16; i++) {
      x[i] = i;
      y[i] = i % 2 == 0 ? i : i - 2; // mostly the same order
    }
    RankCorrelation r = RankCorrelation.of(x, y);
    assertTrue(r.kendallTau() > 0.7 && r.kendallP() < 0.001, r.toString());
    RankCorrelation none = RankCorrelation.of(new double[] {1, 2, 3, 4}, new double[] {2, 4, 1, 3});
    assertTrue(none.kendallP() > 0.3, none.toString());
  }

  @Test
  void badInputIsANamedError() {
    assertMessage("got 3 and 4 values", new double[] {1, 2, 3}, new double[] {1, 2, 3, 4});
    assertMessage("at least 3 items, got 2", new double[] {1, 2}, new double[] {1, 2});
    assertMessage(
        "value 1 of the second scoring is NaN",
        new double[] {1, 2, 3},
        new double[] {1, Double.NaN, 3});
    assertMessage(
        "the first scoring gives all 3 items the same value",
        new double[] {5, 5, 5},
        new double[] {1, 2, 3});
  }

  private static void assertMessage(String expected, double[] x, double[] y) {
    String message =
        assertThrows(IllegalArgumentException.class, () -> RankCorrelation.of(x, y)).getMessage();
    assertTrue(message.contains(expected), message);
  }
}
