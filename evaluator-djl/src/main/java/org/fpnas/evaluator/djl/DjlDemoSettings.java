package org.fpnas.evaluator.djl;

import java.util.Map;

/**
 * The DJL demo's settings, in one place for {@code fpnas demo} and the benchmarks that measure what
 * the demo's search produces ({@code fpnas bench --only supernet-ranking}).
 */
public final class DjlDemoSettings {
  /** The shipped space the demo searches (a resource of core's examples). */
  public static final String SPACE = "fbnet-fmnist.yaml";

  /**
   * The search's hyperparameters where they differ from the core's defaults: 60 iterations (FD for
   * 30, then JD) with K from 8 (k0; the default λ·H would start at 31 on this space's 24.4 nats)
   * down to 4 keep search and final training within 10 minutes on two CPU cores (BENCHMARKS.md,
   * "The DJL demo"); a budget of 0.8 M multiply-adds, the space's average, computed from each
   * architecture before it is trained ({@code costModel} flops), so that every sample and the
   * answer keep to it.
   */
  public static final Map<String, String> HYPERPARAMETERS =
      Map.of(
          "maxIterations",
          "60",
          "k0",
          "8",
          "factorizedIterations",
          "30",
          "costModel",
          "flops",
          "costTarget",
          "800000");

  /**
   * The evaluator's settings where they differ from its defaults: five steps per sample and a
   * 200-step warm-up.
   */
  public static final Map<String, String> EVALUATOR =
      Map.of("trainSteps", "5", "learningRate", "0.1", "warmupSteps", "200");

  /** The final training's schedule: one epoch over all training images. */
  public static final int FINAL_EPOCHS = 1;

  /** The final training's images per step. */
  public static final int FINAL_BATCH_SIZE = 128;

  /** The final training's peak learning rate (cosine schedule). */
  public static final double FINAL_LEARNING_RATE = 0.1;

  private DjlDemoSettings() {}
}
