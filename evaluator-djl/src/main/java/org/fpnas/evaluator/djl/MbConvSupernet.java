package org.fpnas.evaluator.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.fpnas.core.mbconv.MbConvBlock;
import org.fpnas.core.mbconv.MbConvNetwork;
import org.fpnas.core.mbconv.MbConvSpace;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.Network;

/**
 * A weight-sharing supernet of an MBConv space, as a DJL block: one set of weights sized for the
 * largest choice of every layer (kernel, expansion, width), sliced for the sampled one: the
 * kernel's centre, the leading channels. Squeeze-and-excite and the nonlinearity are switched per
 * block; a skipped block is an identity. Built from a space with one architecture ({@link
 * MbConvSpace#fixed}), it is exactly that standalone network, with exactly the parameters {@link
 * org.fpnas.core.mbconv.FlopsCounter} counts.
 *
 * <p>Weights start from a seeded stream (He-normal convolutions, N(0, 0.01) classifier, unit
 * batch-norm scales), so two replicas of a search start identical.
 */
public final class MbConvSupernet extends AbstractBlock {
  private static final byte VERSION = 1;
  private static final float BN_MOMENTUM = 0.9f;

  /**
   * Batch-norm epsilon: 1e-3 (as TensorFlow's MobileNets) rather than 1e-5. A channel that a path
   * barely uses can have a near-zero batch variance, and 1/sqrt(var + eps) then scales its gradient
   * by up to 316 with 1e-5; supernet training on random paths diverged that way.
   */
  private static final float BN_EPSILON = 1e-3f;

  private final MbConvSpace space;
  private final long seed;
  private final List<SharedParameter> all = new ArrayList<>();
  private final ConvBn stem;
  private final List<BlockWeights> blocks = new ArrayList<>();
  private final ConvBn head;
  private final SharedParameter classifierWeight;
  private final SharedParameter classifierBias;
  private Architecture defaultPath;

  /** Declares the parameters; {@link #initialize} (or loading) creates them. */
  public MbConvSupernet(MbConvSpace space, long seed) {
    super(VERSION);
    this.space = Objects.requireNonNull(space, "space");
    this.seed = seed;
    Network n = space.network();
    stem = convBn("stem", n.stemChannels(), n.inputChannels(), n.stemKernel(), n.stemKernel());
    for (int l = 0; l < space.space().layerCount(); l++) {
      blocks.add(new BlockWeights(space.space().layer(l).name(), space.bounds(l)));
    }
    int pooled = n.headChannels() > 0 ? n.headChannels() : space.maxLastChannels();
    head =
        n.headChannels() > 0
            ? convBn("head", n.headChannels(), space.maxLastChannels(), 1, 1)
            : null;
    classifierWeight = weight("classifier.weight", new Shape(n.classes(), pooled), 0.01, true);
    classifierBias = constant("classifier.bias", new Shape(n.classes()), 0f, true);
    if (space.space().architectureCount() == 1) {
      defaultPath = MbConvSpace.only(space.space());
    }
  }

  /** The space whose architectures this supernet runs. */
  public MbConvSpace space() {
    return space;
  }

  /** Creates every parameter on the manager (its device is the supernet's device). */
  public MbConvSupernet initialize(NDManager manager) {
    Network n = space.network();
    initialize(
        manager,
        DataType.FLOAT32,
        new Shape(1, n.inputChannels(), n.inputHeight(), n.inputWidth()));
    return this;
  }

  /** Every parameter in a fixed order: trainable weights and batch-norm running statistics. */
  List<SharedParameter> parameterList() {
    return Collections.unmodifiableList(all);
  }

  /** Trainable values, the number a standalone network reports as its parameters. */
  public long trainableParameterCount() {
    long total = 0;
    for (SharedParameter p : all) {
      if (p.trainable()) {
        total += p.array().size();
      }
    }
    return total;
  }

  /**
   * The path {@link #forward(ParameterStore, NDList, boolean, PairList)} runs (DJL's own entry
   * point).
   */
  public MbConvSupernet defaultPath(Architecture architecture) {
    architecture.validate(space.space());
    this.defaultPath = architecture;
    return this;
  }

  /**
   * The logits of a batch ({@code [n, channels, height, width]}) along one path.
   *
   * @param trace where the used trainable slices are recorded (training), or null
   */
  NDArray forward(NDArray images, MbConvNetwork path, Mode mode, PathTrace trace) {
    Network n = space.network();
    NDArray h =
        convBnAct(
            images,
            stem,
            n.stemChannels(),
            n.inputChannels(),
            n.stemKernel(),
            n.stemKernel(),
            n.stemStride(),
            1,
            org.fpnas.core.mbconv.Activation.RELU,
            mode,
            trace);
    for (int l = 0; l < blocks.size(); l++) {
      MbConvBlock b = path.blocks().get(l);
      if (!b.skipped()) {
        h = blocks.get(l).forward(h, b, mode, trace);
      }
    }
    int last = path.lastChannels();
    if (head != null) {
      h =
          convBnAct(
              h,
              head,
              n.headChannels(),
              last,
              1,
              1,
              1,
              1,
              org.fpnas.core.mbconv.Activation.RELU,
              mode,
              trace);
    }
    NDArray pooled = globalAveragePool(h);
    int width = path.pooledChannels();
    NDArray w = slice(classifierWeight, new NDIndex().addAllDim().addSliceDim(0, width), trace);
    NDArray bias = slice(classifierBias, new NDIndex().addAllDim(), trace);
    return Linear.linear(pooled, w, bias).singletonOrThrow();
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    if (defaultPath == null) {
      throw new IllegalStateException(
          "this supernet has many paths: set one with defaultPath(...)");
    }
    return new NDList(
        forward(
            inputs.singletonOrThrow(),
            space.resolve(defaultPath),
            training ? Mode.TRAIN : Mode.RUNNING_STATISTICS,
            null));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), space.network().classes())};
  }

  @Override
  public String toString() {
    return "MbConvSupernet[" + space + ", " + all.size() + " parameter arrays]";
  }

  // ---- the layers

  private NDArray convBnAct(
      NDArray x,
      ConvBn cb,
      int out,
      int in,
      int kernel,
      int maxKernel,
      int stride,
      int groups,
      org.fpnas.core.mbconv.Activation act,
      Mode mode,
      PathTrace trace) {
    int off = (maxKernel - kernel) / 2;
    NDIndex idx =
        new NDIndex()
            .addSliceDim(0, out)
            .addSliceDim(0, groups == 1 ? in : 1)
            .addSliceDim(off, off + kernel)
            .addSliceDim(off, off + kernel);
    NDArray w = slice(cb.weight, idx, trace);
    NDArray y =
        Conv2d.conv2d(
                x,
                w,
                null,
                new Shape(stride, stride),
                new Shape(kernel / 2, kernel / 2),
                new Shape(1, 1),
                groups)
            .singletonOrThrow();
    y = batchNorm(y, cb, out, mode, trace);
    return act == null ? y : activate(y, act);
  }

  private static NDArray batchNorm(NDArray x, ConvBn cb, int channels, Mode mode, PathTrace trace) {
    NDIndex idx = new NDIndex().addSliceDim(0, channels);
    NDArray gamma = slice(cb.gamma, idx, trace);
    NDArray beta = slice(cb.beta, idx, trace);
    NDArray mean;
    NDArray var;
    boolean batchStatistics = mode != Mode.RUNNING_STATISTICS;
    if (mode == Mode.BATCH_STATISTICS) {
      // Throw-away running averages: PyTorch updates whatever it is given in training mode.
      mean = x.getManager().zeros(new Shape(channels));
      var = x.getManager().ones(new Shape(channels));
    } else {
      mean = cb.mean.array().get(idx);
      var = cb.var.array().get(idx);
    }
    return BatchNorm.batchNorm(
            x, mean, var, gamma, beta, 1, BN_MOMENTUM, BN_EPSILON, batchStatistics)
        .singletonOrThrow();
  }

  static NDArray activate(NDArray x, org.fpnas.core.mbconv.Activation act) {
    return switch (act) {
      case RELU -> Activation.relu(x);
      case HSWISH -> x.mul(hardSigmoid(x));
    };
  }

  /** [n, c, h, w] to [n, c] (PyTorch's DJL engine averages over one axis at a time). */
  private static NDArray globalAveragePool(NDArray x) {
    return x.mean(new int[] {3}).mean(new int[] {2});
  }

  /**
   * relu6(x + 3) / 6, with its constants made by the engine. DJL's {@code add/div(Number)} and
   * {@code Activation.relu6} (a {@code minimum(6, x)}) wrap each constant in a Java direct buffer
   * that they release right after the op, but autograd keeps the constant for the backward pass:
   * once the buffer was garbage collected, the backward read freed memory (gradients that were not
   * finite or silently wrong, and once a crash in {@code torchBackward}). Constants from {@code
   * full} live in memory PyTorch owns, and {@code clip} takes its bounds by value.
   */
  private static NDArray hardSigmoid(NDArray x) {
    NDManager m = x.getManager();
    return x.add(m.full(new Shape(), 3f)).clip(0, 6).mul(m.full(new Shape(), 1f / 6));
  }

  private static NDArray slice(SharedParameter p, NDIndex idx, PathTrace trace) {
    if (trace != null && p.trainable()) {
      trace.use(p, idx);
    }
    return p.array().get(idx);
  }

  // ---- parameter declarations

  private SharedParameter weight(String name, Shape shape, double std, boolean decays) {
    return declare(
        name,
        shape,
        Parameter.Type.WEIGHT,
        new SeededNormal(seed, all.size(), std, 0f),
        true,
        decays);
  }

  private SharedParameter constant(String name, Shape shape, float value, boolean trainable) {
    return declare(
        name,
        shape,
        trainable ? Parameter.Type.BIAS : Parameter.Type.RUNNING_MEAN,
        new SeededNormal(seed, all.size(), 0, value),
        trainable,
        false);
  }

  private SharedParameter declare(
      String name,
      Shape shape,
      Parameter.Type type,
      SeededNormal init,
      boolean trainable,
      boolean decays) {
    Parameter p =
        Parameter.builder()
            .setName(name)
            .setType(type)
            .optShape(shape)
            .optInitializer(init)
            .optRequiresGrad(trainable)
            .build();
    addParameter(p);
    SharedParameter shared = new SharedParameter(p, trainable, decays);
    all.add(shared);
    return shared;
  }

  private ConvBn convBn(String name, int out, int inPerGroup, int kernel, int maxKernel) {
    double std = Math.sqrt(2.0 / (inPerGroup * kernel * kernel));
    SharedParameter w =
        weight(name + ".weight", new Shape(out, inPerGroup, maxKernel, maxKernel), std, true);
    return new ConvBn(
        w,
        constant(name + ".gamma", new Shape(out), 1f, true),
        constant(name + ".beta", new Shape(out), 0f, true),
        constant(name + ".runningMean", new Shape(out), 0f, false),
        constant(name + ".runningVar", new Shape(out), 1f, false));
  }

  /** A convolution followed by batch normalization. */
  private record ConvBn(
      SharedParameter weight,
      SharedParameter gamma,
      SharedParameter beta,
      SharedParameter mean,
      SharedParameter var) {}

  /** The weights of one layer, sized for its widest choices. */
  private final class BlockWeights {
    final ConvBn expand;
    final ConvBn depthwise;
    final ConvBn project;
    final SharedParameter seReduceWeight;
    final SharedParameter seReduceBias;
    final SharedParameter seExpandWeight;
    final SharedParameter seExpandBias;
    final int maxKernel;

    BlockWeights(String name, MbConvSpace.LayerBounds b) {
      maxKernel = b.maxKernel();
      int x = b.maxExpandedChannels();
      if (x == 0) { // always skipped: nothing to hold
        expand = depthwise = project = null;
        seReduceWeight = seReduceBias = seExpandWeight = seExpandBias = null;
        return;
      }
      expand = b.mayExpand() ? convBn(name + ".expand", x, b.maxInputChannels(), 1, 1) : null;
      depthwise = convBn(name + ".depthwise", x, 1, maxKernel, maxKernel);
      int s = b.maxSqueezeChannels();
      if (s > 0) {
        seReduceWeight =
            weight(name + ".se.reduce.weight", new Shape(s, x), Math.sqrt(2.0 / x), false);
        seReduceBias = constant(name + ".se.reduce.bias", new Shape(s), 0f, true);
        seExpandWeight =
            weight(name + ".se.expand.weight", new Shape(x, s), Math.sqrt(1.0 / s), false);
        seExpandBias = constant(name + ".se.expand.bias", new Shape(x), 0f, true);
      } else {
        seReduceWeight = seReduceBias = seExpandWeight = seExpandBias = null;
      }
      project = convBn(name + ".project", b.maxOutputChannels(), x, 1, 1);
    }

    NDArray forward(NDArray input, MbConvBlock b, Mode mode, PathTrace trace) {
      int x = b.expandedChannels();
      NDArray y = input;
      if (b.expands()) {
        y = convBnAct(y, expand, x, b.inputChannels(), 1, 1, 1, 1, b.activation(), mode, trace);
      }
      y =
          convBnAct(
              y,
              depthwise,
              x,
              x,
              b.kernel(),
              maxKernel,
              b.stride(),
              x,
              b.activation(),
              mode,
              trace);
      if (b.squeezeExcite()) {
        int s = b.squeezeChannels();
        NDArray p = globalAveragePool(y);
        p =
            Linear.linear(
                    p,
                    slice(seReduceWeight, new NDIndex().addSliceDim(0, s).addSliceDim(0, x), trace),
                    slice(seReduceBias, new NDIndex().addSliceDim(0, s), trace))
                .singletonOrThrow();
        p = Activation.relu(p);
        p =
            Linear.linear(
                    p,
                    slice(seExpandWeight, new NDIndex().addSliceDim(0, x).addSliceDim(0, s), trace),
                    slice(seExpandBias, new NDIndex().addSliceDim(0, x), trace))
                .singletonOrThrow();
        p = hardSigmoid(p);
        y = y.mul(p.reshape(p.getShape().get(0), x, 1, 1));
      }
      y = convBnAct(y, project, b.outputChannels(), x, 1, 1, 1, 1, null, mode, trace);
      return b.residual() ? y.add(input) : y;
    }
  }
}
