package org.fpnas.core.mbconv;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import org.fpnas.core.settings.Decimal;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.Layer;
import org.fpnas.core.space.Network;
import org.fpnas.core.space.SearchSpace;
import org.fpnas.core.space.Variable;

/**
 * A search space read as a MobileNet-style network of MBConv blocks: which variable of a layer sets
 * what, checked once, and the concrete block every architecture gets.
 *
 * <p>A layer's variables are read by name: {@code kernel} (odd depthwise kernel size), {@code
 * expansion} (ratio of the inner width to the input width, a decimal such as {@code 6} or {@code
 * 2.5}), {@code channels} (output width), {@code se} ({@code off}/{@code on}), {@code act} ({@code
 * relu}/{@code hswish}) and {@code skip} ({@code off}/{@code on}). {@code kernel} and {@code
 * expansion} are required (a fixed value is a variable with one choice); without an {@code se},
 * {@code act} or {@code skip} variable the block has no SE, uses ReLU and is never skipped. The
 * output width is the {@code channels} variable, else the layer's {@code channels} attribute, else
 * the input width. The stride is the layer's {@code stride} attribute (default 1).
 *
 * <p><b>Skip.</b> A skipped block is an identity, so a layer may have a {@code skip} variable only
 * where that keeps the shapes: stride 1, no {@code channels} variable, and either no {@code
 * channels} attribute or one that equals every width that can reach the layer. The space is refused
 * otherwise (checked here once for all architectures, not per sample).
 */
public final class MbConvSpace {
  /** The variable names this reading understands. */
  public static final List<String> VARIABLES =
      List.of("kernel", "expansion", "channels", "se", "act", "skip");

  private final SearchSpace space;
  private final Network network;
  private final List<LayerChoices> layers = new ArrayList<>();
  private final List<LayerBounds> bounds = new ArrayList<>();
  private final int maxLastChannels;

  private MbConvSpace(SearchSpace space) {
    this.space = space;
    this.network =
        space
            .network()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "space '"
                            + space.name()
                            + "' has no network section; an MBConv space needs input, stem and classes"));
    SortedSet<Integer> widths = new TreeSet<>(List.of(network.stemChannels()));
    for (Layer layer : space.layers()) {
      LayerChoices choices = LayerChoices.read(layer);
      SortedSet<Integer> out = choices.outputWidths(widths);
      if (choices.skipIndex >= 0 && !(layer.stride() == 1 && out.equals(widths))) {
        throw new IllegalArgumentException(
            "layer '"
                + layer.name()
                + "' has a skip variable but "
                + (layer.stride() != 1
                    ? "stride " + layer.stride()
                    : "its output width " + out + " can differ from its input width " + widths)
                + "; a skipped block is an identity, so skip needs stride 1 and the input width kept"
                + " (no channels variable)");
      }
      layers.add(choices);
      bounds.add(choices.bounds(widths, out));
      widths = out;
    }
    this.maxLastChannels = widths.last();
  }

  /**
   * Reads a space as MBConv blocks.
   *
   * @throws IllegalArgumentException naming the layer and variable when the space has no network
   *     section, an unknown variable, a choice that is not a valid value, or a misplaced skip
   */
  public static MbConvSpace of(SearchSpace space) {
    return new MbConvSpace(Objects.requireNonNull(space, "space"));
  }

  /** The space read. */
  public SearchSpace space() {
    return space;
  }

  /** The fixed parts of the network. */
  public Network network() {
    return network;
  }

  /** The largest sizes layer {@code l} takes over all architectures (what a supernet allocates). */
  public LayerBounds bounds(int l) {
    return bounds.get(l);
  }

  /** The widest output of the last layer over all architectures. */
  public int maxLastChannels() {
    return maxLastChannels;
  }

  /**
   * The concrete network of an architecture.
   *
   * @throws IllegalArgumentException when the architecture does not belong to the space
   */
  public MbConvNetwork resolve(Architecture architecture) {
    architecture.validate(space);
    List<MbConvBlock> blocks = new ArrayList<>(layers.size());
    int channels = network.stemChannels();
    int height = strided(network.inputHeight(), network.stemStride());
    int width = strided(network.inputWidth(), network.stemStride());
    for (int l = 0; l < layers.size(); l++) {
      MbConvBlock block =
          layers.get(l).block(space.layer(l), architecture, l, channels, height, width);
      blocks.add(block);
      channels = block.outputChannels();
      height = block.outputHeight();
      width = block.outputWidth();
    }
    return new MbConvNetwork(network, blocks);
  }

  /**
   * The space that holds only this architecture: every variable keeps just its chosen value
   * (layers, attributes and network unchanged), so the architecture is choice 0 everywhere. A
   * supernet built from it is the standalone network.
   */
  public static SearchSpace fixed(SearchSpace space, Architecture architecture) {
    architecture.validate(space);
    List<Layer> fixedLayers = new ArrayList<>();
    for (int l = 0; l < space.layerCount(); l++) {
      Layer layer = space.layer(l);
      List<Variable> variables = new ArrayList<>();
      for (int m = 0; m < layer.variables().size(); m++) {
        Variable v = layer.variables().get(m);
        variables.add(Variable.of(v.name(), v.choices().get(architecture.choice(l, m))));
      }
      fixedLayers.add(new Layer(layer.name(), variables, layer.attributes()));
    }
    return space
        .network()
        .map(n -> SearchSpace.of(space.name(), fixedLayers, n))
        .orElseGet(() -> SearchSpace.of(space.name(), fixedLayers));
  }

  /** The architecture of a {@link #fixed} space: choice 0 everywhere. */
  public static Architecture only(SearchSpace fixedSpace) {
    int[][] zeros = new int[fixedSpace.layerCount()][];
    for (int l = 0; l < zeros.length; l++) {
      zeros[l] = new int[fixedSpace.layer(l).variables().size()];
    }
    return Architecture.of(zeros);
  }

  /** A feature map side after a stride with "same" padding: ceil(size / stride). */
  public static int strided(int size, int stride) {
    return (size + stride - 1) / stride;
  }

  /** Squeeze-and-excite width of MobileNetV3: expanded/4 rounded to a multiple of 8. */
  public static int squeezeChannels(int expandedChannels) {
    return makeDivisible(expandedChannels / 4, 8);
  }

  /** MobileNet's channel rounding: nearest multiple of the divisor, at least it, never 10% down. */
  static int makeDivisible(double value, int divisor) {
    int rounded = Math.max(divisor, (int) (value + divisor / 2.0) / divisor * divisor);
    return rounded < 0.9 * value ? rounded + divisor : rounded;
  }

  /** The expanded width of a block: round(input · expansion), at least 1. */
  static int expanded(int inputChannels, double expansion) {
    return (int) Math.max(1, Math.round(inputChannels * expansion));
  }

  /**
   * The largest sizes of one layer over all architectures; kernel and widths inside the block are 0
   * when the block is always skipped (it has no weights).
   *
   * @param maxInputChannels widest input
   * @param maxOutputChannels widest output
   * @param maxKernel largest depthwise kernel
   * @param maxExpandedChannels widest inner width
   * @param maxSqueezeChannels widest SE bottleneck, 0 when SE is never on
   * @param mayExpand whether some architecture has the 1x1 expansion convolution
   */
  public record LayerBounds(
      int maxInputChannels,
      int maxOutputChannels,
      int maxKernel,
      int maxExpandedChannels,
      int maxSqueezeChannels,
      boolean mayExpand) {}

  /** The parsed choices of one layer's variables, by variable index. */
  private static final class LayerChoices {
    int kernelIndex = -1;
    int expansionIndex = -1;
    int channelsIndex = -1;
    int seIndex = -1;
    int actIndex = -1;
    int skipIndex = -1;
    int[] kernels;
    double[] expansions;
    int[] channels;
    boolean[] se;
    Activation[] acts;
    boolean[] skips;
    Integer fixedChannels;
    int stride;

    static LayerChoices read(Layer layer) {
      LayerChoices c = new LayerChoices();
      c.stride = layer.stride();
      c.fixedChannels = layer.attributes().get("channels");
      for (int m = 0; m < layer.variables().size(); m++) {
        Variable v = layer.variables().get(m);
        switch (v.name()) {
          case "kernel" -> {
            c.kernelIndex = m;
            c.kernels = new int[v.size()];
            for (int i = 0; i < v.size(); i++) {
              Long k = Decimal.parseLong(v.choices().get(i));
              if (k == null || k < 1 || k % 2 == 0 || k > 31) {
                throw bad(layer, v, i, "an odd whole number from 1 to 31");
              }
              c.kernels[i] = k.intValue();
            }
          }
          case "expansion" -> {
            c.expansionIndex = m;
            c.expansions = new double[v.size()];
            for (int i = 0; i < v.size(); i++) {
              Double e = Decimal.parseFinite(v.choices().get(i));
              if (e == null || e <= 0 || e > 64) {
                throw bad(layer, v, i, "a positive decimal up to 64");
              }
              c.expansions[i] = e;
            }
          }
          case "channels" -> {
            c.channelsIndex = m;
            c.channels = new int[v.size()];
            for (int i = 0; i < v.size(); i++) {
              Long w = Decimal.parseLong(v.choices().get(i));
              if (w == null || w < 1 || w > 1 << 16) {
                throw bad(layer, v, i, "a positive whole number of channels");
              }
              c.channels[i] = w.intValue();
            }
          }
          case "se" -> {
            c.seIndex = m;
            c.se = onOff(layer, v);
          }
          case "skip" -> {
            c.skipIndex = m;
            c.skips = onOff(layer, v);
          }
          case "act" -> {
            c.actIndex = m;
            c.acts = new Activation[v.size()];
            for (int i = 0; i < v.size(); i++) {
              c.acts[i] = Activation.fromFileName(v.choices().get(i));
              if (c.acts[i] == null) {
                throw bad(layer, v, i, "relu or hswish");
              }
            }
          }
          default ->
              throw new IllegalArgumentException(
                  "layer '"
                      + layer.name()
                      + "' has variable '"
                      + v.name()
                      + "', which an MBConv space does not know (known: "
                      + String.join(", ", VARIABLES)
                      + ")");
        }
      }
      if (c.kernelIndex < 0 || c.expansionIndex < 0) {
        throw new IllegalArgumentException(
            "layer '"
                + layer.name()
                + "' needs a "
                + (c.kernelIndex < 0 ? "kernel" : "expansion")
                + " variable (give a fixed value as a variable with one choice)");
      }
      if (c.channelsIndex >= 0 && c.fixedChannels != null) {
        throw new IllegalArgumentException(
            "layer '"
                + layer.name()
                + "' has both a channels variable and a channels attribute; keep one");
      }
      return c;
    }

    private static boolean[] onOff(Layer layer, Variable v) {
      boolean[] out = new boolean[v.size()];
      for (int i = 0; i < v.size(); i++) {
        String s = v.choices().get(i);
        if (!s.equals("on") && !s.equals("off")) {
          throw bad(layer, v, i, "off or on");
        }
        out[i] = s.equals("on");
      }
      return out;
    }

    private static IllegalArgumentException bad(Layer layer, Variable v, int i, String expected) {
      return new IllegalArgumentException(
          "choice '"
              + v.choices().get(i)
              + "' of variable '"
              + v.name()
              + "' of layer '"
              + layer.name()
              + "' must be "
              + expected);
    }

    SortedSet<Integer> outputWidths(SortedSet<Integer> inputs) {
      SortedSet<Integer> out = new TreeSet<>();
      if (channels != null) {
        for (int w : channels) {
          out.add(w);
        }
      } else if (fixedChannels != null) {
        out.add(fixedChannels);
      } else {
        out.addAll(inputs);
      }
      return out;
    }

    LayerBounds bounds(SortedSet<Integer> inputs, SortedSet<Integer> outputs) {
      boolean alwaysSkipped = skips != null;
      for (int i = 0; skips != null && i < skips.length; i++) {
        alwaysSkipped &= skips[i];
      }
      if (alwaysSkipped) {
        return new LayerBounds(inputs.last(), outputs.last(), 0, 0, 0, false);
      }
      int maxKernel = 0;
      for (int k : kernels) {
        maxKernel = Math.max(maxKernel, k);
      }
      boolean seOn = false;
      if (se != null) {
        for (boolean on : se) {
          seOn |= on;
        }
      }
      int maxExpanded = 0;
      int maxSqueeze = 0;
      boolean mayExpand = false;
      for (int in : inputs) {
        for (double e : expansions) {
          int x = expanded(in, e);
          maxExpanded = Math.max(maxExpanded, x);
          mayExpand |= x != in;
          if (seOn) {
            maxSqueeze = Math.max(maxSqueeze, squeezeChannels(x));
          }
        }
      }
      return new LayerBounds(
          inputs.last(), outputs.last(), maxKernel, maxExpanded, maxSqueeze, mayExpand);
    }

    MbConvBlock block(Layer layer, Architecture a, int l, int in, int height, int width) {
      boolean skipped = skipIndex >= 0 && skips[a.choice(l, skipIndex)];
      int out =
          channels != null
              ? channels[a.choice(l, channelsIndex)]
              : fixedChannels != null ? fixedChannels : in;
      if (skipped) {
        Activation act = actIndex >= 0 ? acts[a.choice(l, actIndex)] : Activation.RELU;
        return new MbConvBlock(
            layer.name(),
            in,
            in,
            kernels[a.choice(l, kernelIndex)],
            in,
            0,
            act,
            1,
            true,
            height,
            width);
      }
      int expandedWidth = expanded(in, expansions[a.choice(l, expansionIndex)]);
      boolean seOn = seIndex >= 0 && se[a.choice(l, seIndex)];
      Activation act = actIndex >= 0 ? acts[a.choice(l, actIndex)] : Activation.RELU;
      return new MbConvBlock(
          layer.name(),
          in,
          out,
          kernels[a.choice(l, kernelIndex)],
          expandedWidth,
          seOn ? squeezeChannels(expandedWidth) : 0,
          act,
          stride,
          false,
          height,
          width);
    }
  }

  @Override
  public String toString() {
    return "MbConvSpace[" + space.name() + ", " + layers.size() + " blocks]";
  }
}
