package org.fpnas.evaluator.djl;

import ai.djl.ndarray.NDArray;

/**
 * Stochastic gradient descent with momentum and weight decay that touches only the parameter slices
 * a path used. DJL's {@code Trainer.step()} would update every parameter, so weight decay and
 * momentum would move the weights of choices that were not sampled; here the gradient, the decay,
 * the momentum buffer and the weights are all read and written through the path's slices, and
 * nothing else changes. After the update the used gradient slices are zeroed (PyTorch accumulates
 * gradients and DJL's collector does not clear them).
 */
final class SliceSgd {
  private final double momentum;
  private final double weightDecay;
  private final double maxGradientNorm;

  /**
   * @param maxGradientNorm the gradient of a step is scaled down to this global norm (over the used
   *     slices) when it is longer; 0 turns clipping off
   */
  SliceSgd(double momentum, double weightDecay, double maxGradientNorm) {
    if (momentum < 0 || momentum >= 1) {
      throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
    }
    if (weightDecay < 0) {
      throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
    }
    if (maxGradientNorm < 0) {
      throw new IllegalArgumentException("gradient clip must be >= 0, got " + maxGradientNorm);
    }
    this.momentum = momentum;
    this.weightDecay = weightDecay;
    this.maxGradientNorm = maxGradientNorm;
  }

  /**
   * Updates the used slices after a backward pass and zeroes their gradients; false, changing
   * nothing, when the gradient is not finite. Call inside an {@code NDScope} (the slices and
   * temporaries it creates are attached to the parameters' long-lived manager) and with gradient
   * recording off.
   */
  boolean step(PathTrace trace, double learningRate) {
    float lr = (float) learningRate;
    java.util.List<NDArray> gradients = new java.util.ArrayList<>();
    java.util.List<NDArray> slices = new java.util.ArrayList<>();
    for (PathTrace.Use use : trace.uses()) {
      NDArray gradient = use.parameter().array().getGradient();
      gradients.add(gradient);
      slices.add(gradient.get(use.slice()));
    }
    float scale = clipScale(slices);
    if (!Float.isFinite(scale)) {
      return false;
    }
    for (int i = 0; i < trace.uses().size(); i++) {
      PathTrace.Use use = trace.uses().get(i);
      SharedParameter p = use.parameter();
      NDArray weights = p.array();
      NDArray g = scale == 1f ? slices.get(i) : slices.get(i).mul(scale);
      NDArray w = weights.get(use.slice());
      if (weightDecay > 0 && p.decays()) {
        g = g.add(w.mul((float) weightDecay));
      }
      NDArray step = g;
      if (momentum > 0) {
        NDArray v = p.momentum().get(use.slice()).mul((float) momentum).add(g);
        p.momentum().set(use.slice(), v);
        step = v;
      }
      weights.set(use.slice(), w.sub(step.mul(lr)));
      gradients.get(i).set(use.slice(), 0f);
    }
    return true;
  }

  /** Zeroes the used gradient slices without updating anything (a skipped step). */
  void dropGradients(PathTrace trace) {
    for (PathTrace.Use use : trace.uses()) {
      use.parameter().array().getGradient().set(use.slice(), 0f);
    }
  }

  /**
   * 1, or what brings the global norm of the gradient slices down to the maximum; NaN when the norm
   * is not finite. The norm is computed even without clipping, to catch that.
   */
  private float clipScale(java.util.List<NDArray> slices) {
    if (slices.isEmpty()) {
      return 1f;
    }
    NDArray[] squares = new NDArray[slices.size()];
    for (int i = 0; i < squares.length; i++) {
      squares[i] = slices.get(i).square().sum();
    }
    double norm =
        Math.sqrt(
            ai.djl.ndarray.NDArrays.stack(new ai.djl.ndarray.NDList(squares)).sum().getFloat());
    if (!Double.isFinite(norm)) {
      return Float.NaN;
    }
    return maxGradientNorm > 0 && norm > maxGradientNorm ? (float) (maxGradientNorm / norm) : 1f;
  }
}
