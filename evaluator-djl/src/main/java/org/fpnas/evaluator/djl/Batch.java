package org.fpnas.evaluator.djl;

import ai.djl.ndarray.NDArray;

/**
 * A batch on the device: normalized images {@code [n, c, h, w]}, one-hot labels {@code [n,
 * classes]}, and the labels in Java for counting correct answers.
 */
record Batch(NDArray images, NDArray oneHot, int[] labels) {
  int size() {
    return labels.length;
  }
}
