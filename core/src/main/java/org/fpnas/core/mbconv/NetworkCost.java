package org.fpnas.core.mbconv;

/**
 * The analytic cost of one concrete network at its input size.
 *
 * @param multiplyAdds multiply-adds of all convolutions and fully connected layers for one image
 * @param parameters trainable parameters: convolution and FC weights, biases, and the scale and
 *     shift of every batch normalization (running statistics are not counted)
 */
public record NetworkCost(long multiplyAdds, long parameters) {
  /** Millions of multiply-adds, for reports. */
  public double megaMultiplyAdds() {
    return multiplyAdds / 1e6;
  }
}
