package org.fpnas.evaluator.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;
import org.fpnas.core.SplitMix64;

/**
 * Initial values drawn in Java from a stream that is a function of (seed, parameter index), so a
 * supernet starts bit-identical on every machine and engine: {@code N(0, std²)}, or a constant when
 * {@code std} is 0.
 */
final class SeededNormal implements Initializer {
  private final long seed;
  private final long key;
  private final double std;
  private final float constant;

  SeededNormal(long seed, long key, double std, float constant) {
    this.seed = seed;
    this.key = key;
    this.std = std;
    this.constant = constant;
  }

  @Override
  public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
    float[] values = new float[Math.toIntExact(shape.size())];
    if (std > 0) {
      SplitMix64 random = SplitMix64.seeded(seed, 0x1217L, key);
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) (std * random.nextGaussian());
      }
    } else {
      java.util.Arrays.fill(values, constant);
    }
    // Copied into memory the engine allocated: a CPU array made from Java data (and its
    // duplicate()) uses a direct buffer that only its Java object keeps alive, and long-lived
    // weights should not depend on that.
    try (NDArray fromJava = manager.create(values, shape)) {
      return manager.zeros(shape, dataType).addi(fromJava);
    }
  }
}
