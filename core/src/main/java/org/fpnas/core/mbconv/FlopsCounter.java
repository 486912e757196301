package org.fpnas.core.mbconv;

import java.util.Objects;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.Network;
import org.fpnas.core.space.SearchSpace;

/**
 * Counts the multiply-adds (the FLOPs of the MobileNet and FBNet papers) and parameters of any
 * architecture of an MBConv space ({@link MbConvSpace}) analytically, at the space's input size.
 *
 * <p>What is counted, per image: every convolution ({@code outH · outW · k² · inC · outC / groups})
 * and every fully connected layer ({@code in · out}), including the stem, the 1x1 expansion (absent
 * when the expanded width equals the input width), the depthwise and projection convolutions, the
 * two FC layers of squeeze-and-excite, the 1x1 head and the classifier. Batch normalization,
 * activations, pooling, the SE scaling and residual additions are not multiply-adds of a
 * convolution or FC layer and are not counted (the papers' convention). Padding is "same" ({@code
 * k/2}), so a stride-2 layer maps a side {@code n} to {@code ceil(n/2)}. A skipped block costs
 * nothing and has no parameters.
 *
 * <p>Parameters: convolution weights (no bias, as they are followed by batch normalization), two
 * per channel for every batch normalization (scale and shift), SE and classifier weights and
 * biases. This is the count of PyTorch's torchvision models (checked against MobileNetV2 and
 * MobileNetV3-Large in the tests).
 */
public final class FlopsCounter {
  private final MbConvSpace space;
  private int classifierHidden;

  /** A counter for the architectures of a space; the space must read as MBConv blocks. */
  public FlopsCounter(SearchSpace space) {
    this.space = MbConvSpace.of(Objects.requireNonNull(space, "space"));
  }

  /**
   * A hidden fully connected layer of this width between pooling and the classifier (with bias, no
   * batch normalization), as MobileNetV3's 1280-wide layer. Space files have no field for it; the
   * default 0 means none.
   */
  public FlopsCounter classifierHidden(int width) {
    if (width < 0) {
      throw new IllegalArgumentException(
          "classifier hidden width must be 0 (none) or positive, got " + width);
    }
    this.classifierHidden = width;
    return this;
  }

  /** The space being counted. */
  public MbConvSpace space() {
    return space;
  }

  /** Multiply-adds and parameters of an architecture of the space. */
  public NetworkCost count(Architecture architecture) {
    return count(space.resolve(architecture));
  }

  /** Multiply-adds of an architecture of the space. */
  public long multiplyAdds(Architecture architecture) {
    return count(architecture).multiplyAdds();
  }

  /** Multiply-adds and parameters of a concrete network. */
  public NetworkCost count(MbConvNetwork net) {
    Network n = net.network();
    Tally t = new Tally();
    int k = n.stemKernel();
    t.conv(net.stemHeight(), net.stemWidth(), k, n.inputChannels(), n.stemChannels(), 1);
    t.batchNorm(n.stemChannels());
    for (MbConvBlock b : net.blocks()) {
      if (b.skipped()) {
        continue;
      }
      int h = b.inputHeight();
      int w = b.inputWidth();
      int x = b.expandedChannels();
      if (b.expands()) {
        t.conv(h, w, 1, b.inputChannels(), x, 1);
        t.batchNorm(x);
      }
      int oh = b.outputHeight();
      int ow = b.outputWidth();
      t.conv(oh, ow, b.kernel(), x, x, x);
      t.batchNorm(x);
      if (b.squeezeExcite()) {
        t.fullyConnected(x, b.squeezeChannels());
        t.fullyConnected(b.squeezeChannels(), x);
      }
      t.conv(oh, ow, 1, x, b.outputChannels(), 1);
      t.batchNorm(b.outputChannels());
    }
    int features = net.lastChannels();
    if (n.headChannels() > 0) {
      t.conv(net.finalHeight(), net.finalWidth(), 1, features, n.headChannels(), 1);
      t.batchNorm(n.headChannels());
      features = n.headChannels();
    }
    if (classifierHidden > 0) {
      t.fullyConnected(features, classifierHidden);
      features = classifierHidden;
    }
    t.fullyConnected(features, n.classes());
    return new NetworkCost(t.multiplyAdds, t.parameters);
  }

  /** Running sums. */
  private static final class Tally {
    long multiplyAdds;
    long parameters;

    void conv(int outH, int outW, int kernel, int in, int out, int groups) {
      long weights = (long) kernel * kernel * (in / groups) * out;
      multiplyAdds += weights * outH * outW;
      parameters += weights;
    }

    void batchNorm(int channels) {
      parameters += 2L * channels;
    }

    void fullyConnected(int in, int out) {
      multiplyAdds += (long) in * out;
      parameters += (long) in * out + out;
    }
  }
}
