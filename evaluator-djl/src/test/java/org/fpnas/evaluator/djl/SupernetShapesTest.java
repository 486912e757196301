package org.fpnas.evaluator.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.fpnas.core.mbconv.FlopsCounter;
import org.fpnas.core.mbconv.MbConvSpace;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.SearchSpace;
import org.junit.jupiter.api.Test;

/**
 * Every choice of every variable runs: logits of the right shape, finite, on both shipped spaces.
 */
class SupernetShapesTest {

  @Test
  void everyChoiceOfEveryVariableGivesLogitsOfTheRightShape() {
    for (String name : List.of("fbnet-fmnist.yaml", "fbnet-cifar.yaml")) {
      SearchSpace space = Fixtures.space(name);
      MbConvSpace mb = MbConvSpace.of(space);
      int checked = 0;
      try (NDManager manager = NDManager.newBaseManager(DjlRuntime.device())) {
        MbConvSupernet net = new MbConvSupernet(mb, 1).initialize(manager);
        DjlRuntime.disableGradients();
        for (Architecture base :
            List.of(Architecture.of(Fixtures.zeros(space)), Fixtures.widest(space))) {
          assertLogits(net, mb, base, manager, name, List.of(Mode.values()));
          for (int l = 0; l < space.layerCount(); l++) {
            for (int m = 0; m < space.layer(l).variables().size(); m++) {
              for (int c = 0; c < space.choiceCount(l, m); c++) {
                int[][] choices = base.choices();
                choices[l][m] = c;
                assertLogits(
                    net,
                    mb,
                    Architecture.of(choices),
                    manager,
                    name,
                    List.of(Mode.BATCH_STATISTICS));
                checked++;
              }
            }
          }
        }
      }
      assertTrue(checked > 100, name + ": " + checked);
    }
  }

  @Test
  void aStandaloneNetworkHasExactlyTheCountedParameters() {
    SearchSpace space = Fixtures.fmnist();
    FlopsCounter counter = new FlopsCounter(space);
    List<Architecture> archs =
        new ArrayList<>(List.of(Fixtures.widest(space), Architecture.of(Fixtures.zeros(space))));
    for (long seed = 1; seed <= 6; seed++) {
      archs.add(Fixtures.random(space, seed));
    }
    try (NDManager manager = NDManager.newBaseManager(DjlRuntime.device())) {
      for (Architecture a : archs) {
        SearchSpace fixed = MbConvSpace.fixed(space, a);
        MbConvSupernet standalone =
            new MbConvSupernet(MbConvSpace.of(fixed), 3).initialize(manager);
        assertEquals(
            counter.count(a).parameters(), standalone.trainableParameterCount(), a.toString());
      }
      // The supernet holds the widest choices: as many parameters as the widest architecture.
      MbConvSupernet supernet = new MbConvSupernet(MbConvSpace.of(space), 3).initialize(manager);
      assertEquals(
          counter.count(Fixtures.widest(space)).parameters(), supernet.trainableParameterCount());
    }
  }

  private static void assertLogits(
      MbConvSupernet net,
      MbConvSpace mb,
      Architecture a,
      NDManager manager,
      String name,
      List<Mode> modes) {
    var n = mb.network();
    try (NDScope scope = new NDScope();
        NDManager step = manager.newSubManager()) {
      NDArray images =
          step.randomNormal(new Shape(2, n.inputChannels(), n.inputHeight(), n.inputWidth()));
      for (Mode mode : modes) {
        NDArray logits = net.forward(images, mb.resolve(a), mode, null);
        assertEquals(new Shape(2, n.classes()), logits.getShape(), name + " " + a + " " + mode);
        float[] values = logits.toFloatArray();
        for (float v : values) {
          assertTrue(Float.isFinite(v), name + " " + a + " " + mode);
        }
      }
    }
  }
}
