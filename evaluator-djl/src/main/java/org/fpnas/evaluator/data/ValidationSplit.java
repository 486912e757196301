package org.fpnas.evaluator.data;

import java.util.Arrays;
import org.fpnas.core.SplitMix64;

/**
 * A validation split held out from a training set: a seeded permutation of the training images'
 * indices; the first {@code validationSize} are held out. The same seed gives the same split on
 * every machine.
 *
 * @param training indices of the images to train on, ascending
 * @param validation indices of the held-out images, ascending
 */
public record ValidationSplit(int[] training, int[] validation) {

  /**
   * Splits {@code count} images.
   *
   * @throws IllegalArgumentException unless 0 < validationSize < count
   */
  public static ValidationSplit of(int count, int validationSize, long seed) {
    if (validationSize < 1 || validationSize >= count) {
      throw new IllegalArgumentException(
          "validation size must be between 1 and "
              + (count - 1)
              + " (the training set has "
              + count
              + " images), got "
              + validationSize);
    }
    int[] order = shuffled(count, new SplitMix64(SplitMix64.mix(seed ^ 0x5EED5EEDL)));
    int[] validation = Arrays.copyOfRange(order, 0, validationSize);
    int[] training = Arrays.copyOfRange(order, validationSize, count);
    Arrays.sort(validation);
    Arrays.sort(training);
    return new ValidationSplit(training, validation);
  }

  /** 0 .. n-1 in an order drawn from the generator (Fisher-Yates). */
  static int[] shuffled(int n, SplitMix64 random) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }
}
