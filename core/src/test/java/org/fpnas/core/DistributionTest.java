package org.fpnas.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.Layer;
import org.fpnas.core.space.SearchSpace;
import org.fpnas.core.space.Variable;
import org.junit.jupiter.api.Test;

class DistributionTest {
  private final SearchSpace tiny = Examples.tiny();

  private static double sumLogChoices(SearchSpace space) {
    double sum = 0;
    for (int l = 0; l < space.layerCount(); l++) {
      for (int m = 0; m < space.layer(l).variables().size(); m++) {
        sum += Math.log(space.choiceCount(l, m));
      }
    }
    return sum;
  }

  @Test
  void uniformEntropyIsTheSumOfLogChoiceCounts() {
    for (SearchSpace space : List.of(tiny, Examples.smallSpace())) {
      double expected = sumLogChoices(space);
      assertEquals(expected, Distribution.uniform(space, Phase.FACTORIZED).entropy(), 1e-12);
      assertEquals(expected, Distribution.uniform(space, Phase.JOINT).entropy(), 1e-12);
      assertEquals(Math.log(space.architectureCount()), expected, 1e-9);
    }
  }

  @Test
  void marginalsOfAFactorizedDistributionSurviveItsJointForm() {
    Distribution fd =
        Distribution.of(
            tiny, Phase.FACTORIZED, Examples.randomLogits(tiny, Phase.FACTORIZED, 7, 1.5), 0);
    Distribution jd = fd.toJoint();
    for (int l = 0; l < tiny.layerCount(); l++) {
      for (int m = 0; m < tiny.layer(l).variables().size(); m++) {
        double[] expected = fd.marginal(l, m);
        double[] joint = jd.marginal(l, m);
        assertEquals(tiny.choiceCount(l, m), joint.length);
        assertEquals(1.0, java.util.Arrays.stream(joint).sum(), 1e-12);
        for (int c = 0; c < expected.length; c++) {
          assertEquals(
              expected[c], joint[c], 1e-12, "layer " + l + " variable " + m + " choice " + c);
        }
      }
    }
  }

  @Test
  void probabilitiesSumToOneAndMatchEntropy() {
    for (Phase phase : Phase.values()) {
      Distribution d = Distribution.of(tiny, phase, Examples.randomLogits(tiny, phase, 3, 1.5), 0);
      double total = 0;
      double entropy = 0;
      for (Architecture a : Examples.all(tiny)) {
        double p = d.probability(a);
        total += p;
        entropy -= p * Math.log(p);
        assertEquals(Math.log(p), d.logProbability(a), 1e-12);
      }
      assertEquals(1.0, total, 1e-12);
      assertEquals(entropy, d.entropy(), 1e-12);
    }
  }

  @Test
  void factorizedToJointKeepsEveryProbabilityAndTheEntropy() {
    for (SearchSpace space : List.of(tiny, Examples.smallSpace())) {
      Distribution fd =
          Distribution.of(
              space, Phase.FACTORIZED, Examples.randomLogits(space, Phase.FACTORIZED, 11, 2.0), 7);
      Distribution jd = fd.toJoint();
      assertEquals(Phase.JOINT, jd.phase());
      assertEquals(7, jd.version());
      assertEquals(fd.entropy(), jd.entropy(), 1e-10);
      assertEquals(fd.mode(), jd.mode());
      List<Architecture> probe =
          space == tiny ? Examples.all(space) : Sampler.samples(fd, 5, 0, 2000);
      for (Architecture a : probe) {
        assertEquals(fd.logProbability(a), jd.logProbability(a), 1e-12);
      }
      assertSame(jd, jd.toJoint());
    }
  }

  @Test
  void jointIndexHasTheLastVariableVaryingFastest() {
    // Layer a: kernel (3 choices), se (2). Joint order: (0,0) (0,1) (1,0) (1,1) (2,0) (2,1).
    double[][] logits = Distribution.uniform(tiny, Phase.JOINT).logits();
    logits[0][3] = 5.0; // kernel 1 ("5"), se 1 ("on")
    Distribution d = Distribution.of(tiny, Phase.JOINT, logits, 0);
    assertEquals(Architecture.parse("1.1|0"), d.mode());
  }

  @Test
  void modeBreaksTiesByLowestIndex() {
    double[][] logits = Distribution.uniform(tiny, Phase.FACTORIZED).logits();
    logits[0][1] = 1.0;
    logits[0][2] = 1.0; // kernel 5 and 7 tie
    logits[1][2] = 0.5;
    Distribution d = Distribution.of(tiny, Phase.FACTORIZED, logits, 0);
    assertEquals(Architecture.parse("1.0|2"), d.mode());
    assertEquals(Architecture.parse("0.0|0"), Distribution.uniform(tiny, Phase.JOINT).mode());
  }

  @Test
  void parameterCountsMatchThePaperExample() {
    SearchSpace paper =
        SearchSpace.of(
            "paper",
            List.of(
                new Layer(
                    "l",
                    List.of(
                        Variable.of("a", "1", "2", "3"),
                        Variable.of("b", "1", "2"),
                        Variable.of("c", "1", "2"),
                        Variable.of("d", "1", "2", "3", "4", "5", "6"),
                        Variable.of("e", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10")))));
    assertEquals(23, Distribution.parameterCount(paper, Phase.FACTORIZED));
    assertEquals(720, Distribution.parameterCount(paper, Phase.JOINT));
    assertEquals(23, Distribution.uniform(paper, Phase.FACTORIZED).parameterCount());
    assertEquals(720, Distribution.uniform(paper, Phase.JOINT).parameterCount());
  }

  @Test
  void isAnImmutableValue() {
    double[][] logits = Examples.randomLogits(tiny, Phase.FACTORIZED, 1, 1.0);
    Distribution d = Distribution.of(tiny, Phase.FACTORIZED, logits, 4);
    double before = d.entropy();
    logits[0][0] += 10;
    d.logits()[0][0] += 10;
    assertEquals(before, d.entropy());
    assertEquals(d, Distribution.of(tiny, Phase.FACTORIZED, d.logits(), 4));
    assertNotEquals(d, Distribution.of(tiny, Phase.FACTORIZED, d.logits(), 5));
    assertEquals(d.hashCode(), Distribution.of(tiny, Phase.FACTORIZED, d.logits(), 4).hashCode());
  }

  @Test
  void rejectsLogitsOfTheWrongShapeOrNotFinite() {
    IllegalArgumentException shape =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Distribution.of(tiny, Phase.JOINT, new double[][] {{0, 0, 0, 0, 0}, {0, 0, 0}}, 0));
    assertTrue(
        shape.getMessage().contains("layer 'a'") && shape.getMessage().contains("6"),
        shape.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> Distribution.of(tiny, Phase.FACTORIZED, new double[][] {{0, 0, 0, 0, 0}}, 0));
    double[][] nan = Distribution.uniform(tiny, Phase.FACTORIZED).logits();
    nan[1][1] = Double.NaN;
    assertThrows(
        IllegalArgumentException.class, () -> Distribution.of(tiny, Phase.FACTORIZED, nan, 0));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            Distribution.of(
                tiny, Phase.FACTORIZED, Distribution.uniform(tiny, Phase.FACTORIZED).logits(), -1));
  }

  @Test
  void extremeLogitsStayFinite() {
    double[][] logits = Distribution.uniform(tiny, Phase.FACTORIZED).logits();
    logits[0][0] = 800;
    logits[0][1] = -800;
    Distribution d = Distribution.of(tiny, Phase.FACTORIZED, logits, 0);
    assertTrue(Double.isFinite(d.entropy()));
    assertTrue(Double.isFinite(d.logProbability(Architecture.parse("1.0|0"))));
    assertEquals(0.0, d.probability(Architecture.parse("1.0|0")));
    for (Architecture a : Sampler.samples(d, 1, 0, 1000)) {
      assertEquals(0, a.choice(0, 0));
    }
  }
}
