package org.fpnas.evaluator.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.fpnas.core.mbconv.MbConvNetwork;
import org.fpnas.core.mbconv.MbConvSpace;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.SearchSpace;
import org.fpnas.evaluator.data.Datasets;
import org.fpnas.evaluator.data.FashionMnist;
import org.fpnas.evaluator.data.ImageData;
import org.junit.jupiter.api.Test;

/**
 * The gradient of a step does not depend on what the garbage collector does between the forward and
 * the backward pass. A constant that DJL wraps in a Java direct buffer and releases after the op
 * (an {@code add/div/minimum} with a {@code Number}) is kept by autograd for the backward pass;
 * once collected, and its memory reused, the backward read garbage. Here the memory of every
 * collectable direct buffer is collected and overwritten with NaN between the two passes.
 */
class BackwardAfterGcTest {

  @Test
  void theGradientIsTheSameWhenGarbageIsCollectedBetweenForwardAndBackward() {
    SearchSpace space = Fixtures.fmnist();
    MbConvSpace mb = MbConvSpace.of(space);
    // h-swish and squeeze-excite (both use the hard sigmoid) in every block.
    Architecture a = Fixtures.widest(space);
    for (String layer : new String[] {"s1b1", "s1b2", "s2b1", "s2b2", "s3b1", "s3b2"}) {
      a = Fixtures.with(space, a, layer, "act", "hswish");
    }
    ImageData data = Datasets.load(FashionMnist.NAME, null);
    BatchMaker maker = new BatchMaker(data.train(), data.train());
    int[] images = new int[32];
    for (int i = 0; i < images.length; i++) {
      images[i] = i * 11;
    }
    MbConvNetwork path = mb.resolve(a);
    double[] quiet = gradientSums(mb, maker, images, path, false);
    double[] stormy = gradientSums(mb, maker, images, path, true);
    assertTrue(quiet.length > 10);
    for (int i = 0; i < quiet.length; i++) {
      assertTrue(Double.isFinite(stormy[i]), "gradient of parameter " + i + " is " + stormy[i]);
      assertEquals(quiet[i], stormy[i], "gradient of parameter " + i);
    }
  }

  /** The sum of |gradient| of every used parameter after one forward and backward pass. */
  private static double[] gradientSums(
      MbConvSpace mb, BatchMaker maker, int[] images, MbConvNetwork path, boolean collectBetween) {
    synchronized (DjlRuntime.GRADIENTS) {
      try (NDManager manager = NDManager.newBaseManager(DjlRuntime.device());
          NDScope scope = new NDScope()) {
        MbConvSupernet net = new MbConvSupernet(mb, 3).initialize(manager);
        Batch batch = maker.make(manager, images);
        PathTrace trace = new PathTrace();
        List<Double> sums = new ArrayList<>();
        try (GradientCollector collector = DjlRuntime.engine().newGradientCollector()) {
          NDArray logits = net.forward(batch.images(), path, Mode.TRAIN, trace);
          NDArray loss = logits.logSoftmax(1).mul(batch.oneHot()).sum(new int[] {1}).mean().neg();
          if (collectBetween) {
            garbageStorm();
          }
          collector.backward(loss);
        }
        DjlRuntime.disableGradients();
        for (PathTrace.Use use : trace.uses()) {
          sums.add((double) use.parameter().array().getGradient().abs().sum().getFloat());
        }
        return sums.stream().mapToDouble(Double::doubleValue).toArray();
      }
    }
  }

  /** Collects unreachable direct buffers, then fills freshly allocated native memory with NaN. */
  private static void garbageStorm() {
    for (int round = 0; round < 3; round++) {
      System.gc();
      try {
        Thread.sleep(50); // the cleaner thread frees direct buffers after the collection
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    List<ByteBuffer> fill = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      ByteBuffer b = ByteBuffer.allocateDirect(4 * (1 + i % 4)).order(ByteOrder.nativeOrder());
      while (b.remaining() >= 4) {
        b.putFloat(Float.NaN);
      }
      fill.add(b);
    }
    assertTrue(fill.size() == 2000);
  }
}
