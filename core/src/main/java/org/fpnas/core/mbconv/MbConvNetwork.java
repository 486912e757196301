package org.fpnas.core.mbconv;

import java.util.List;
import java.util.Objects;
import org.fpnas.core.space.Network;

/**
 * A concrete MobileNet-style network: the space's fixed parts (input, stem, head, classes) and one
 * {@link MbConvBlock} per layer of the space, as one architecture chooses them. Skipped blocks stay
 * in the list (marked skipped) so that {@code blocks().get(l)} is layer {@code l}.
 *
 * @param network the fixed parts
 * @param blocks one block per layer, in order
 */
public record MbConvNetwork(Network network, List<MbConvBlock> blocks) {
  /** Copies the block list. */
  public MbConvNetwork {
    Objects.requireNonNull(network, "network");
    blocks = List.copyOf(blocks);
  }

  /** Feature map height after the stem. */
  public int stemHeight() {
    return MbConvSpace.strided(network.inputHeight(), network.stemStride());
  }

  /** Feature map width after the stem. */
  public int stemWidth() {
    return MbConvSpace.strided(network.inputWidth(), network.stemStride());
  }

  /** Channels leaving the last block (the input of the head, or of the classifier without one). */
  public int lastChannels() {
    return blocks.isEmpty()
        ? network.stemChannels()
        : blocks.get(blocks.size() - 1).outputChannels();
  }

  /** Channels that reach global pooling: the head's width, or the last block's without a head. */
  public int pooledChannels() {
    return network.headChannels() > 0 ? network.headChannels() : lastChannels();
  }

  /** Feature map height after the last block. */
  public int finalHeight() {
    return blocks.isEmpty() ? stemHeight() : blocks.get(blocks.size() - 1).outputHeight();
  }

  /** Feature map width after the last block. */
  public int finalWidth() {
    return blocks.isEmpty() ? stemWidth() : blocks.get(blocks.size() - 1).outputWidth();
  }
}
