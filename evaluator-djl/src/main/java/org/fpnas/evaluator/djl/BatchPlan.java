package org.fpnas.evaluator.djl;

import org.fpnas.core.SplitMix64;

/**
 * Which images each batch holds, as a pure function of the search seed and the batch's place, so
 * that an evaluation is reproducible. Training batch {@code j} of sample {@code k} of iteration
 * {@code t} depends on (seed, t, k, j); the validation batch of iteration {@code t} depends on
 * (seed, t) only, so all samples of an iteration are scored on the same images and their
 * log-likelihoods compare architectures, not batches. Warm-up batch {@code j} depends on (seed, j).
 * Uniform step {@code u} of sample {@code k} of iteration {@code t} (its batch and its path)
 * depends on (seed, t, k, u). Images are drawn without replacement within a batch.
 */
final class BatchPlan {
  private static final long TRAIN = 1;
  private static final long VALIDATION = 2;
  private static final long WARMUP = 3;
  private static final long UNIFORM = 4;

  private BatchPlan() {}

  static int[] training(long seed, int iteration, int index, int step, int size, int[] pool) {
    return draw(SplitMix64.seeded(seed, TRAIN, iteration, index, step), size, pool);
  }

  static int[] validation(long seed, int iteration, int size, int[] pool) {
    return draw(SplitMix64.seeded(seed, VALIDATION, iteration), size, pool);
  }

  static int[] warmup(long seed, int step, int size, int[] pool) {
    return draw(SplitMix64.seeded(seed, WARMUP, step), size, pool);
  }

  static int[] uniform(long seed, int iteration, int index, int step, int size, int[] pool) {
    return draw(SplitMix64.seeded(seed, UNIFORM, iteration, index, step), size, pool);
  }

  /** The random stream of the path of uniform step {@code step} of a sample. */
  static SplitMix64 uniformPath(long seed, int iteration, int index, int step) {
    return SplitMix64.seeded(seed, UNIFORM, iteration, index, step, 1);
  }

  /** The random stream of warm-up step {@code step}'s path. */
  static SplitMix64 warmupPath(long seed, int step) {
    return SplitMix64.seeded(seed, WARMUP, step, 1);
  }

  /** {@code size} distinct entries of {@code pool} (partial Fisher-Yates on a copy). */
  static int[] draw(SplitMix64 random, int size, int[] pool) {
    if (size > pool.length) {
      throw new IllegalArgumentException(
          "batch of " + size + " from only " + pool.length + " images");
    }
    int[] copy = pool.clone();
    int[] out = new int[size];
    for (int i = 0; i < size; i++) {
      int j = i + random.nextInt(copy.length - i);
      int t = copy[i];
      copy[i] = copy[j];
      copy[j] = t;
      out[i] = copy[i];
    }
    return out;
  }
}
