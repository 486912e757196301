package org.fpnas.evaluator.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.Map;
import org.fpnas.core.mbconv.MbConvNetwork;
import org.fpnas.core.mbconv.MbConvSpace;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.SearchSpace;
import org.fpnas.evaluator.data.Datasets;
import org.fpnas.evaluator.data.FashionMnist;
import org.fpnas.evaluator.data.ImageData;
import org.junit.jupiter.api.Test;

/**
 * A training step along a path changes exactly the slices the path used: every other value of every
 * parameter (weights, batch-norm scales and running statistics) stays bit-identical, even with
 * momentum left over from earlier steps on other paths and with weight decay on.
 */
class UnusedWeightsTest {

  @Test
  void aStepChangesOnlyTheSlicesItsPathUsed() {
    SearchSpace space = Fixtures.fmnist();
    MbConvSpace mb = MbConvSpace.of(space);
    ImageData data = Datasets.load(FashionMnist.NAME, null);
    BatchMaker maker = new BatchMaker(data.train(), data.train());
    // Path A: wide, SE on, 5x5 kernels. Path B: narrow, 3x3 kernels, SE off, hswish, a skipped
    // block.
    Architecture a = Fixtures.widest(space);
    Architecture b = Architecture.of(Fixtures.zeros(space));
    b = Fixtures.with(space, b, "s1b1", "act", "hswish");
    b = Fixtures.with(space, b, "s3b2", "skip", "on");
    int[] images = new int[16];
    for (int i = 0; i < images.length; i++) {
      images[i] = i * 7;
    }
    try (NDManager manager = NDManager.newBaseManager(DjlRuntime.device())) {
      MbConvSupernet net = new MbConvSupernet(mb, 5).initialize(manager);
      PathTraining training = new PathTraining(net, manager, new SliceSgd(0.9, 0.01, 5));
      // Momentum everywhere along A, then steps along B: A's leftover momentum must not leak.
      training.step(maker, images, mb.resolve(a), 0.1);
      training.step(maker, images, mb.resolve(a), 0.1);
      for (int round = 0; round < 2; round++) {
        Map<String, float[]> before = snapshot(net);
        Map<String, boolean[]> used = usedMask(net, mb.resolve(b), manager);
        training.step(maker, images, mb.resolve(b), 0.1);
        Map<String, float[]> after = snapshot(net);
        int changedUsed = 0;
        for (SharedParameter p : net.parameterList()) {
          float[] x = before.get(p.name());
          float[] y = after.get(p.name());
          boolean[] mask = used.get(p.name());
          for (int i = 0; i < x.length; i++) {
            if (mask == null || !mask[i]) {
              assertEquals(
                  Float.floatToRawIntBits(x[i]),
                  Float.floatToRawIntBits(y[i]),
                  p.name() + "[" + i + "] is not on path B but changed");
            } else if (x[i] != y[i]) {
              changedUsed++;
            }
          }
        }
        assertTrue(changedUsed > 1000, "path B's own slices were trained: " + changedUsed);
      }
      // Spot checks by meaning, independent of the trace: what path B cannot have touched.
      Map<String, float[]> now = snapshot(net);
      training.step(maker, images, mb.resolve(b), 0.1);
      Map<String, float[]> later = snapshot(net);
      assertArrayEquals(
          now.get("s1b1.se.reduce.weight"), later.get("s1b1.se.reduce.weight"), "SE is off on B");
      assertArrayEquals(
          now.get("s3b2.depthwise.weight"),
          later.get("s3b2.depthwise.weight"),
          "s3b2 is skipped on B");
      assertArrayEquals(
          now.get("s3b2.project.runningMean"),
          later.get("s3b2.project.runningMean"),
          "s3b2 is skipped on B");
      float[] dwBefore = now.get("s1b1.depthwise.weight");
      float[] dwAfter = later.get("s1b1.depthwise.weight");
      int changedCentre = 0;
      for (int ch = 0;
          ch < 48;
          ch++) { // [48, 1, 5, 5]; B uses the stem's 8 channels (expansion 1), 3x3 centre
        for (int y = 0; y < 5; y++) {
          for (int x = 0; x < 5; x++) {
            int i = ch * 25 + y * 5 + x;
            boolean centre = y >= 1 && y <= 3 && x >= 1 && x <= 3;
            if (ch >= 8 || !centre) {
              assertEquals(
                  dwBefore[i],
                  dwAfter[i],
                  "outside B's slice: channel " + ch + " (" + y + "," + x + ")");
            } else if (dwBefore[i] != dwAfter[i]) {
              changedCentre++;
            }
          }
        }
      }
      assertTrue(changedCentre > 50, "the centre of B's channels trained: " + changedCentre);
      float[] projectBefore = now.get("s1b1.project.weight"); // [24, 48, 1, 1]; B: 12 out of 8 in
      float[] projectAfter = later.get("s1b1.project.weight");
      int changedProject = 0;
      for (int o = 0; o < 24; o++) {
        for (int i = 0; i < 48; i++) {
          if (o >= 12 || i >= 8) {
            assertEquals(
                projectBefore[o * 48 + i],
                projectAfter[o * 48 + i],
                "project[" + o + "," + i + "]");
          } else if (projectBefore[o * 48 + i] != projectAfter[o * 48 + i]) {
            changedProject++;
          }
        }
      }
      assertTrue(changedProject > 50, "B's 12 x 8 projection trained: " + changedProject);
    }
  }

  /** Which values of each parameter a path's forward pass reads, from a forward with a trace. */
  static Map<String, boolean[]> usedMask(
      MbConvSupernet net, MbConvNetwork path, NDManager manager) {
    Map<String, boolean[]> masks = new HashMap<>();
    try (NDScope scope = new NDScope();
        NDManager step = manager.newSubManager()) {
      PathTrace trace = new PathTrace();
      DjlRuntime.disableGradients();
      var n = net.space().network();
      net.forward(
          step.zeros(new Shape(2, n.inputChannels(), n.inputHeight(), n.inputWidth())),
          path,
          Mode.BATCH_STATISTICS,
          trace);
      for (PathTrace.Use use : trace.uses()) {
        NDArray full = use.parameter().array();
        NDArray marker = step.zeros(full.getShape());
        marker.set(use.slice(), 1f);
        float[] m = marker.toFloatArray();
        boolean[] mask = new boolean[m.length];
        for (int i = 0; i < m.length; i++) {
          mask[i] = m[i] != 0;
        }
        masks.put(use.parameter().name(), mask);
        // A batch-norm's running statistics move with its scale: same slice.
        String name = use.parameter().name();
        if (name.endsWith(".gamma")) {
          String base = name.substring(0, name.length() - ".gamma".length());
          masks.put(base + ".runningMean", mask);
          masks.put(base + ".runningVar", mask);
        }
      }
    }
    assertFalse(masks.isEmpty());
    return masks;
  }

  static Map<String, float[]> snapshot(MbConvSupernet net) {
    Map<String, float[]> out = new HashMap<>();
    for (SharedParameter p : net.parameterList()) {
      out.put(p.name(), p.array().toFloatArray());
    }
    return out;
  }
}
