package org.fpnas.core.space;

/**
 * The fixed, non-searched parts of the network that a cost model needs: input image, stem, optional
 * head convolution and classifier size.
 *
 * @param inputHeight input image height in pixels, positive
 * @param inputWidth input image width in pixels, positive
 * @param inputChannels input image channels, positive
 * @param classes number of output classes, 2 or more
 * @param stemChannels output channels of the stem convolution, positive
 * @param stemStride stride of the stem convolution, 1 or 2
 * @param stemKernel kernel size of the stem convolution, positive and odd (default 3)
 * @param headChannels channels of the 1x1 head convolution before pooling, or 0 for none
 */
public record Network(
    int inputHeight,
    int inputWidth,
    int inputChannels,
    int classes,
    int stemChannels,
    int stemStride,
    int stemKernel,
    int headChannels) {

  /** The stem kernel size when the file does not give one. */
  public static final int DEFAULT_STEM_KERNEL = 3;

  /** Validates: every size must be able to work. */
  public Network {
    positive("input height", inputHeight);
    positive("input width", inputWidth);
    positive("input channels", inputChannels);
    if (classes < 2) {
      throw new IllegalArgumentException("classes must be 2 or more, got " + classes);
    }
    positive("stem channels", stemChannels);
    if (stemStride != 1 && stemStride != 2) {
      throw new IllegalArgumentException("stem stride must be 1 or 2, got " + stemStride);
    }
    if (stemKernel < 1 || stemKernel % 2 == 0) {
      throw new IllegalArgumentException(
          "stem kernel must be a positive odd number, got " + stemKernel);
    }
    if (headChannels < 0) {
      throw new IllegalArgumentException(
          "head channels must be positive (or absent for no head), got " + headChannels);
    }
  }

  private static void positive(String what, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(what + " must be positive, got " + value);
    }
  }
}
