package org.fpnas.core;

/**
 * SplitMix64 (Steele, Lea and Flood, "Fast Splittable Pseudorandom Number Generators", 2014): a
 * 64-bit state advanced by the golden-ratio increment, each output scrambled by the variant-13
 * finalizer. Tiny, fast, and its streams are fully defined by the seed on every machine. Not
 * thread-safe; make one per stream.
 *
 * <p>Streams keyed by several numbers ({@link #seeded(long, long...)}) start from {@code h =
 * mix(seed)}, then for each key {@code h = mix(h + GAMMA · (key + 1))}; the generator starts in
 * state {@code h}.
 */
public final class SplitMix64 {
  /** The golden-ratio increment, 0x9E3779B97F4A7C15. */
  public static final long GAMMA = 0x9E3779B97F4A7C15L;

  private long state;

  /** A generator whose state starts at {@code seed} (standard SplitMix64 seeding). */
  public SplitMix64(long seed) {
    this.state = seed;
  }

  /** A generator for the stream named by a seed and keys (e.g. a domain, iteration, index). */
  public static SplitMix64 seeded(long seed, long... keys) {
    long h = mix(seed);
    for (long key : keys) {
      h = mix(h + GAMMA * (key + 1));
    }
    return new SplitMix64(h);
  }

  /** The variant-13 finalizer of SplitMix64 (a bijection on 64-bit values). */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** The next 64 random bits. */
  public long nextLong() {
    state += GAMMA;
    return mix(state);
  }

  /** A uniform double in [0, 1): the top 53 bits of {@link #nextLong()} times 2^-53. */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** A standard normal value by the Box–Muller transform (two uniforms, StrictMath). */
  public double nextGaussian() {
    double u1 = 1.0 - nextDouble(); // in (0, 1], so the log is finite
    double u2 = nextDouble();
    return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * StrictMath.PI * u2);
  }

  /** A uniform int in [0, bound) by rejection (no modulo bias). */
  public int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be positive, got " + bound);
    }
    long range = bound;
    long limit = (Long.MAX_VALUE / range) * range;
    while (true) {
      long bits = nextLong() >>> 1;
      if (bits < limit) {
        return (int) (bits % range);
      }
    }
  }
}
