package org.fpnas.evaluator.djl;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;
import org.fpnas.core.SplitMix64;
import org.fpnas.core.mbconv.FlopsCounter;
import org.fpnas.core.mbconv.MbConvSpace;
import org.fpnas.core.mbconv.NetworkCost;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.SearchSpace;
import org.fpnas.evaluator.data.ImageData;
import org.fpnas.evaluator.data.ImageSet;

/**
 * Trains an architecture of an MBConv space from scratch as a standalone network and reports its
 * test accuracy, multiply-adds and parameters; {@link #compare} does the same for a uniformly
 * random architecture of similar multiply-adds, trained the same way, as the baseline. Training
 * uses every training image (the validation split served the search only), SGD with momentum and a
 * cosine learning-rate schedule; testing uses the network's running batch-norm statistics. Models
 * are saved with DJL ({@code Model.save}) when an output directory is set.
 */
public final class FinalTraining {
  /** Global gradient norm a step is clipped to, as in the search's default. */
  private static final double GRADIENT_CLIP = 5;

  private final SearchSpace space;
  private final ImageData data;
  private final FlopsCounter counter;
  private int epochs = 2;
  private int batchSize = 128;
  private double learningRate = 0.1;
  private double momentum = 0.9;
  private double weightDecay = 5e-5;
  private long seed;
  private int trainingImages;
  private Path output;
  private Consumer<String> progress = s -> {};

  /** Trains architectures of {@code space} on {@code data}. */
  public FinalTraining(SearchSpace space, ImageData data) {
    this.space = Objects.requireNonNull(space, "space");
    this.data = Objects.requireNonNull(data, "data");
    this.counter = new FlopsCounter(space);
  }

  /** Epochs over the training images (default 2). */
  public FinalTraining epochs(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("epochs must be at least 1, got " + n);
    }
    this.epochs = n;
    return this;
  }

  /** Images per step (default 128). */
  public FinalTraining batchSize(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, got " + n);
    }
    this.batchSize = n;
    return this;
  }

  /** Peak learning rate of the cosine schedule (default 0.1). */
  public FinalTraining learningRate(double lr) {
    if (!(lr > 0)) {
      throw new IllegalArgumentException("learning rate must be > 0, got " + lr);
    }
    this.learningRate = lr;
    return this;
  }

  /** Seed of the weights, the batch order and the random baseline (default 0). */
  public FinalTraining seed(long seed) {
    this.seed = seed;
    return this;
  }

  /** Train on only the first {@code n} training images (0, the default: all), for quick checks. */
  public FinalTraining trainingImages(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("training images must be >= 0, got " + n);
    }
    this.trainingImages = n;
    return this;
  }

  /** Where to save the models, one subdirectory each; none when unset. */
  public FinalTraining output(Path dir) {
    this.output = dir;
    return this;
  }

  /** Receives a line per epoch. */
  public FinalTraining progress(Consumer<String> sink) {
    this.progress = Objects.requireNonNull(sink, "progress");
    return this;
  }

  /** The found architecture and a random one of similar multiply-adds, trained alike. */
  public record Comparison(FinalResult found, FinalResult random) {
    /** A table of the two for people, then each architecture by layer. */
    public String table(SearchSpace space) {
      StringBuilder out = new StringBuilder();
      out.append(
          String.format(
              java.util.Locale.ROOT,
              "%-8s %14s %12s %10s %10s %8s%n",
              "",
              "test accuracy",
              "test loss",
              "MFLOPs",
              "params",
              "seconds"));
      for (FinalResult r : java.util.List.of(found, random)) {
        out.append(
            String.format(
                java.util.Locale.ROOT,
                "%-8s %14.4f %12.4f %10.3f %10d %8.1f%n",
                r.name(),
                r.testAccuracy(),
                r.testLoss(),
                r.multiplyAdds() / 1e6,
                r.parameters(),
                r.trainSeconds()));
      }
      for (FinalResult r : java.util.List.of(found, random)) {
        out.append(r.name())
            .append(" ")
            .append(r.architecture())
            .append(r.modelDir() == null ? "" : " saved in " + r.modelDir())
            .append(System.lineSeparator());
        r.architecture()
            .describe(space)
            .forEach(
                (layer, values) ->
                    out.append("  ")
                        .append(layer)
                        .append(": ")
                        .append(values)
                        .append(System.lineSeparator()));
      }
      return out.toString();
    }
  }

  /** Trains the found architecture and the random baseline. */
  public Comparison compare(Architecture found) {
    Architecture random = randomWithSimilarCost(found, 0.1, seed);
    return new Comparison(train("found", found), train("random", random));
  }

  /**
   * A uniformly random architecture whose multiply-adds are within {@code tolerance} (relative) of
   * {@code target}'s: uniform draws until one fits (rejection sampling keeps it uniform among those
   * that fit); after 100,000 draws, the closest one seen.
   */
  public Architecture randomWithSimilarCost(Architecture target, double tolerance, long seed) {
    double goal = counter.multiplyAdds(target);
    Architecture best = null;
    double bestGap = Double.POSITIVE_INFINITY;
    for (int draw = 0; draw < 100_000; draw++) {
      SplitMix64 random = SplitMix64.seeded(seed, 0x7A4D0L, draw);
      int[][] choices = new int[space.layerCount()][];
      for (int l = 0; l < choices.length; l++) {
        choices[l] = new int[space.layer(l).variables().size()];
        for (int m = 0; m < choices[l].length; m++) {
          choices[l][m] = random.nextInt(space.choiceCount(l, m));
        }
      }
      Architecture a = Architecture.of(choices);
      double gap = Math.abs(counter.multiplyAdds(a) / goal - 1);
      if (gap <= tolerance && !a.equals(target)) {
        return a;
      }
      if (gap < bestGap) {
        best = a;
        bestGap = gap;
      }
    }
    return best;
  }

  /** Trains one architecture from scratch and tests it. */
  public FinalResult train(String name, Architecture architecture) {
    SearchSpace fixed = MbConvSpace.fixed(space, architecture);
    MbConvSpace single = MbConvSpace.of(fixed);
    NetworkCost cost = counter.count(architecture);
    ImageSet images = data.train();
    int n = trainingImages > 0 ? Math.min(trainingImages, images.size()) : images.size();
    int[] pool = new int[n];
    for (int i = 0; i < n; i++) {
      pool[i] = i;
    }
    BatchMaker train = new BatchMaker(images, images);
    BatchMaker test = new BatchMaker(data.test(), images);
    int stepsPerEpoch = Math.max(1, n / batchSize);
    int total = stepsPerEpoch * epochs;
    long start = System.nanoTime();
    try (NDManager manager = NDManager.newBaseManager(DjlRuntime.device())) {
      MbConvSupernet net = new MbConvSupernet(single, seed).initialize(manager);
      PathTraining training =
          new PathTraining(net, manager, new SliceSgd(momentum, weightDecay, GRADIENT_CLIP));
      var path = single.resolve(MbConvSpace.only(fixed));
      int step = 0;
      for (int epoch = 0; epoch < epochs; epoch++) {
        int[] order = shuffled(pool, SplitMix64.seeded(seed, 0xE90CL, epoch));
        double loss = 0;
        for (int b = 0; b < stepsPerEpoch; b++) {
          int[] batch =
              java.util.Arrays.copyOfRange(order, b * batchSize, Math.min(n, (b + 1) * batchSize));
          double lr = 0.5 * learningRate * (1 + Math.cos(Math.PI * step / total));
          loss += training.step(train, batch, path, lr);
          step++;
        }
        progress.accept(
            String.format(
                java.util.Locale.ROOT,
                "%s: epoch %d/%d, training loss %.4f",
                name,
                epoch + 1,
                epochs,
                loss / stepsPerEpoch));
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      double correct = 0;
      double logLikelihood = 0;
      int tested = data.test().size();
      for (int from = 0; from < tested; from += 500) {
        int[] batch = new int[Math.min(500, tested - from)];
        for (int i = 0; i < batch.length; i++) {
          batch[i] = from + i;
        }
        PathTraining.Score s = training.score(test, batch, path, Mode.RUNNING_STATISTICS);
        correct += s.correct();
        logLikelihood += s.logLikelihood();
      }
      Path modelDir = output == null ? null : save(net, name, architecture);
      return new FinalResult(
          name,
          architecture,
          cost.multiplyAdds(),
          net.trainableParameterCount(),
          epochs,
          correct / tested,
          -logLikelihood / tested,
          seconds,
          modelDir);
    }
  }

  private Path save(MbConvSupernet net, String name, Architecture architecture) {
    Path dir = output.resolve(name);
    try (Model model = Model.newInstance(name, DjlRuntime.device())) {
      Files.createDirectories(dir);
      model.setBlock(net);
      model.setProperty("architecture", architecture.toString());
      model.setProperty("space", space.name());
      model.save(dir, name);
      Files.writeString(
          dir.resolve("architecture.json"), architecture.toJson(space) + System.lineSeparator());
      Files.writeString(dir.resolve("space.yaml"), space.toYaml());
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the model to " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Loads a model saved by this class: the network of {@code architecture} with the saved
   * parameters, on a manager the caller closes with the returned model.
   */
  public static Model load(Path dir, String name, SearchSpace space, Architecture architecture)
      throws IOException {
    SearchSpace fixed = MbConvSpace.fixed(space, architecture);
    Model model = Model.newInstance(name, DjlRuntime.device());
    model.setBlock(new MbConvSupernet(MbConvSpace.of(fixed), 0));
    try {
      model.load(dir, name);
    } catch (ai.djl.MalformedModelException e) {
      model.close();
      throw new IOException(
          "model in " + dir + " does not fit the architecture: " + e.getMessage(), e);
    }
    return model;
  }

  private static int[] shuffled(int[] pool, SplitMix64 random) {
    int[] out = pool.clone();
    for (int i = out.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = out[i];
      out[i] = out[j];
      out[j] = t;
    }
    return out;
  }
}
