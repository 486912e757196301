package org.fpnas.core;

import java.util.ArrayList;
import java.util.List;
import org.fpnas.core.space.Architecture;

/**
 * Draws architectures i.i.d. from a distribution by inverse CDF over the softmax, one uniform
 * number per softmax block (per variable under FD, per layer under JD), layers in order.
 *
 * <p>Sample {@code index} of iteration {@code iteration} uses its own {@link SplitMix64} stream,
 * {@code SplitMix64.seeded(seed, 0, iteration, index)} (0 names the sampling domain), so it is a
 * pure function of (seed, iteration, index) and the distribution: sample k is the same whatever K
 * is, and any controller or evaluator can regenerate it.
 */
public final class Sampler {
  /** The domain key of sampling streams (landscape noise uses another). */
  static final long DOMAIN = 0;

  /** The domain key of the asynchronous schedule's draws, numbered over the whole search. */
  static final long DRAW_DOMAIN = 4;

  private Sampler() {}

  /** Sample {@code index} of iteration {@code iteration} of the search with this seed. */
  public static Architecture sample(
      Distribution distribution, long seed, int iteration, int index) {
    if (iteration < 0 || index < 0) {
      throw new IllegalArgumentException(
          "iteration and index must not be negative, got " + iteration + " and " + index);
    }
    return distribution.draw(SplitMix64.seeded(seed, DOMAIN, iteration, index));
  }

  /**
   * Draw number {@code draw} of an asynchronous search with this seed: a pure function of (seed,
   * draw, distribution), whichever distribution the draw happens to be made from.
   */
  public static Architecture drawn(Distribution distribution, long seed, long draw) {
    return distribution.draw(stream(seed, draw));
  }

  /** The stream of an asynchronous search's draw. */
  static SplitMix64 stream(long seed, long draw) {
    if (draw < 0) {
      throw new IllegalArgumentException("the draw number must not be negative, got " + draw);
    }
    return SplitMix64.seeded(seed, DRAW_DOMAIN, draw);
  }

  /**
   * Samples 0 .. count-1 of iteration {@code iteration}. (Named {@code samples}: Java cannot
   * overload {@code sample(Distribution, long, int, int)} by return type.)
   */
  public static List<Architecture> samples(
      Distribution distribution, long seed, int iteration, int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative, got " + count);
    }
    List<Architecture> samples = new ArrayList<>(count);
    for (int index = 0; index < count; index++) {
      samples.add(sample(distribution, seed, iteration, index));
    }
    return samples;
  }
}
