package org.fpnas.evaluator.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;

/**
 * A supernet parameter and what the optimizer needs to know about it: whether it trains (running
 * statistics do not), whether weight decay applies (convolution and FC weights only) and its
 * momentum buffer, the size of the whole parameter, of which a path updates only its slice.
 */
final class SharedParameter {
  private final Parameter parameter;
  private final boolean trainable;
  private final boolean decays;
  private NDArray momentum;

  SharedParameter(Parameter parameter, boolean trainable, boolean decays) {
    this.parameter = parameter;
    this.trainable = trainable;
    this.decays = decays;
  }

  /** The current array (looked up each time: loading a model replaces it). */
  NDArray array() {
    NDArray a = parameter.getArray();
    if (a == null) {
      throw new IllegalStateException("parameter " + parameter.getName() + " is not initialized");
    }
    return a;
  }

  String name() {
    return parameter.getName();
  }

  boolean trainable() {
    return trainable;
  }

  boolean decays() {
    return decays;
  }

  /**
   * The momentum buffer, created with the parameter's manager (outside any step scope) on first
   * use.
   */
  NDArray momentum() {
    if (momentum == null) {
      NDArray a = array();
      momentum = a.getManager().zeros(a.getShape(), a.getDataType());
      ai.djl.ndarray.NDScope.unregister(momentum);
    }
    return momentum;
  }
}
