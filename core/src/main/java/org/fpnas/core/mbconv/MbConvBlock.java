package org.fpnas.core.mbconv;

/**
 * One MBConv block of a concrete architecture: 1x1 expansion (absent when the expanded width equals
 * the input width), k x k depthwise convolution with the block's stride, optional
 * squeeze-and-excite, 1x1 linear projection, and a residual connection when the stride is 1 and the
 * widths match. A skipped block is an identity and has none of these.
 *
 * @param name the layer's name
 * @param inputChannels channels coming in
 * @param outputChannels channels going out (equal to the input when skipped)
 * @param kernel depthwise kernel size, odd
 * @param expandedChannels width inside the block, {@code round(input · expansion)}
 * @param squeezeChannels width of the squeeze-and-excite bottleneck, 0 when SE is off
 * @param activation the block's nonlinearity (after expansion and after the depthwise conv)
 * @param stride stride of the depthwise convolution, 1 or 2
 * @param skipped whether the block is an identity
 * @param inputHeight feature map height coming in
 * @param inputWidth feature map width coming in
 */
public record MbConvBlock(
    String name,
    int inputChannels,
    int outputChannels,
    int kernel,
    int expandedChannels,
    int squeezeChannels,
    Activation activation,
    int stride,
    boolean skipped,
    int inputHeight,
    int inputWidth) {

  /**
   * Whether the block has a 1x1 expansion convolution (the expanded width differs from the input).
   */
  public boolean expands() {
    return !skipped && expandedChannels != inputChannels;
  }

  /** Whether squeeze-and-excite is on. */
  public boolean squeezeExcite() {
    return !skipped && squeezeChannels > 0;
  }

  /** Whether the block adds its input to its output (stride 1, equal widths, not skipped). */
  public boolean residual() {
    return !skipped && stride == 1 && inputChannels == outputChannels;
  }

  /** Feature map height going out ("same" padding: ceil(height / stride)). */
  public int outputHeight() {
    return skipped ? inputHeight : MbConvSpace.strided(inputHeight, stride);
  }

  /** Feature map width going out. */
  public int outputWidth() {
    return skipped ? inputWidth : MbConvSpace.strided(inputWidth, stride);
  }
}
