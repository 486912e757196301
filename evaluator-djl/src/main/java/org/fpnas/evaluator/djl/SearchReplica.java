package org.fpnas.evaluator.djl;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.fpnas.core.SplitMix64;
import org.fpnas.core.mbconv.FlopsCounter;
import org.fpnas.core.mbconv.MbConvNetwork;
import org.fpnas.core.mbconv.MbConvSpace;
import org.fpnas.core.mbconv.NetworkCost;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.SearchSpace;
import org.fpnas.evaluator.api.EvaluationRequest;
import org.fpnas.evaluator.api.Measurement;
import org.fpnas.evaluator.data.Datasets;
import org.fpnas.evaluator.data.ImageData;
import org.fpnas.evaluator.data.ValidationSplit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One search's supernet replica in this process, with its data, optimizer state and place in the
 * shared checkpoint directory. Evaluations of a search run one at a time on it (callers synchronize
 * on the replica).
 */
final class SearchReplica implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SearchReplica.class);

  private final String searchId;
  private final long seed;
  private final DjlSettings settings;
  private final MbConvSpace space;
  private final FlopsCounter counter;
  private final NDManager manager;
  private final MbConvSupernet net;
  private final PathTraining training;
  private final BatchMaker train;
  private final ValidationSplit split;
  private final CheckpointDirectory checkpoints;
  private boolean warmedUp;
  private long evaluations;
  private boolean closed;

  /**
   * Builds the replica: reads the data, creates the supernet from the search seed and, when a
   * checkpoint directory is given and holds another replica's file, starts from the newest one.
   */
  SearchReplica(
      String searchId,
      long seed,
      SearchSpace space,
      DjlSettings settings,
      Path checkpointRoot,
      String replicaId,
      Duration staleAfter) {
    this.searchId = searchId;
    this.seed = seed;
    this.settings = settings;
    this.space = MbConvSpace.of(space);
    this.counter = new FlopsCounter(space);
    ImageData data = Datasets.load(settings.dataset(), settings.dataDir());
    checkShape(space, data);
    this.split =
        ValidationSplit.of(data.train().size(), settings.validationSize(), settings.splitSeed());
    if (settings.validationBatch() > split.validation().length
        || settings.batchSize() > split.training().length) {
      throw new IllegalArgumentException(
          "batchSize "
              + settings.batchSize()
              + " / validationBatch "
              + settings.validationBatch()
              + " do not fit the "
              + split.training().length
              + " training / "
              + split.validation().length
              + " validation images");
    }
    this.train = new BatchMaker(data.train(), data.train());
    this.manager = NDManager.newBaseManager(DjlRuntime.device());
    try {
      this.net = new MbConvSupernet(this.space, seed).initialize(manager);
      this.training =
          new PathTraining(
              net,
              manager,
              new SliceSgd(settings.momentum(), settings.weightDecay(), settings.gradientClip()));
      this.checkpoints =
          checkpointRoot == null
              ? null
              : new CheckpointDirectory(checkpointRoot, searchId, replicaId, staleAfter);
      if (checkpoints != null) {
        join();
      }
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
    LOG.info(
        "supernet of search {} ready: {} parameters on {}, data {} ({} train / {} validation)",
        searchId,
        net.trainableParameterCount(),
        manager.getDevice(),
        data.name(),
        split.training().length,
        split.validation().length);
  }

  private void join() {
    try (NDManager temp = manager.newSubManager()) {
      checkpoints
          .newest(net, temp)
          .ifPresent(
              s -> {
                CheckpointDirectory.load(s, net);
                warmedUp = s.header().warmedUp();
                LOG.info(
                    "search {}: joined from replica {}'s checkpoint ({} evaluations{})",
                    searchId,
                    s.header().replicaId(),
                    s.header().evaluations(),
                    warmedUp ? ", warmed up" : "");
              });
    }
  }

  /**
   * Trains {@code uniformSteps} uniformly sampled paths, then the sample's path for S steps, and
   * scores it on the iteration's (or the fixed) validation batch.
   */
  Measurement evaluate(EvaluationRequest request) {
    if (closed) {
      throw new IllegalStateException("supernet of search " + searchId + " was closed");
    }
    Architecture architecture = request.architecture();
    MbConvNetwork path = space.resolve(architecture);
    Map<String, Double> metrics = new LinkedHashMap<>();
    long skippedBefore = training.skippedSteps();
    long start = System.nanoTime();
    if (!warmedUp && settings.warmupSteps() > 0) {
      double loss = warmUp();
      metrics.put("warmupSteps", (double) settings.warmupSteps());
      metrics.put("warmupLoss", loss);
      metrics.put("warmupMs", (System.nanoTime() - start) / 1e6);
    }
    warmedUp = true;
    long trainStart = System.nanoTime();
    if (settings.uniformSteps() > 0) {
      metrics.put("uniformLoss", uniformSteps(request.iteration(), request.index()));
    }
    double loss = 0;
    for (int j = 0; j < settings.trainSteps(); j++) {
      stopIfInterrupted();
      int[] batch =
          BatchPlan.training(
              seed,
              request.iteration(),
              request.index(),
              j,
              settings.batchSize(),
              split.training());
      loss += training.step(train, batch, path, settings.learningRate());
    }
    long validationStart = System.nanoTime();
    int[] validation =
        settings.fixedValidation()
            ? Arrays.copyOf(split.validation(), settings.validationBatch())
            : BatchPlan.validation(
                seed, request.iteration(), settings.validationBatch(), split.validation());
    PathTraining.Score score = training.score(train, validation, path, Mode.BATCH_STATISTICS);
    long end = System.nanoTime();
    if (!Double.isFinite(score.logLikelihood())) {
      throw new IllegalStateException(
          "the supernet of search "
              + searchId
              + " diverged (validation log-likelihood "
              + score.logLikelihood()
              + "); lower the evaluator setting learningRate");
    }
    evaluations++;
    if (checkpoints != null && evaluations % settings.syncInterval() == 0) {
      sync(metrics);
    }
    NetworkCost cost = counter.count(path);
    metrics.put("validationAccuracy", score.accuracy());
    metrics.put("trainingLoss", loss / settings.trainSteps());
    metrics.put("trainMs", (validationStart - trainStart) / 1e6);
    metrics.put("validationMs", (end - validationStart) / 1e6);
    metrics.put("evaluationMs", (System.nanoTime() - start) / 1e6);
    metrics.put("parameters", (double) cost.parameters());
    if (training.skippedSteps() > skippedBefore) {
      metrics.put("skippedSteps", (double) (training.skippedSteps() - skippedBefore));
    }
    return new Measurement(score.logLikelihood(), cost.multiplyAdds(), metrics);
  }

  /**
   * Scores an architecture on the first {@code maxBatches} full validation batches of the split (0:
   * all), as {@link #evaluate} scores one (batch statistics, batches of {@code validationBatch}
   * images), without training: what the supernet as trained so far says of it. Changes no weight.
   */
  HeldOutScore scoreHeldOut(Architecture architecture, int maxBatches) {
    if (maxBatches < 0) {
      throw new IllegalArgumentException("maxBatches must be >= 0 (0: all), got " + maxBatches);
    }
    if (closed) {
      throw new IllegalStateException("supernet of search " + searchId + " was closed");
    }
    MbConvNetwork path = space.resolve(architecture);
    int[] validation = split.validation();
    int size = settings.validationBatch();
    double logLikelihood = 0;
    int correct = 0;
    int images = 0;
    // Full batches only: batch statistics of a short last batch would score it differently.
    int batches = 0;
    for (int from = 0;
        from + size <= validation.length && (maxBatches == 0 || batches < maxBatches);
        from += size, batches++) {
      int[] batch = Arrays.copyOfRange(validation, from, from + size);
      PathTraining.Score s = training.score(train, batch, path, Mode.BATCH_STATISTICS);
      logLikelihood += s.logLikelihood();
      correct += s.correct();
      images += s.count();
    }
    return new HeldOutScore(images, logLikelihood, correct);
  }

  private double warmUp() {
    LOG.info(
        "search {}: warming the supernet up on {} uniformly sampled paths",
        searchId,
        settings.warmupSteps());
    double loss = 0;
    for (int j = 0; j < settings.warmupSteps(); j++) {
      stopIfInterrupted();
      int[] batch = BatchPlan.warmup(seed, j, settings.batchSize(), split.training());
      loss +=
          training.step(
              train, batch, uniformPath(BatchPlan.warmupPath(seed, j)), settings.learningRate());
    }
    return loss / settings.warmupSteps();
  }

  /**
   * The sample's share of uniformly sampled paths: without it the paths that the distribution
   * favours are the only ones trained, score better for that alone and are favoured more
   * (BENCHMARKS.md, "Does the supernet rank architectures?"). Returns the steps' mean loss.
   */
  private double uniformSteps(int iteration, int index) {
    double loss = 0;
    for (int u = 0; u < settings.uniformSteps(); u++) {
      stopIfInterrupted();
      int[] batch =
          BatchPlan.uniform(seed, iteration, index, u, settings.batchSize(), split.training());
      MbConvNetwork path = uniformPath(BatchPlan.uniformPath(seed, iteration, index, u));
      loss += training.step(train, batch, path, settings.learningRate());
    }
    return loss / settings.uniformSteps();
  }

  /** A path drawn uniformly from the space: every choice of every layer equally likely. */
  private MbConvNetwork uniformPath(SplitMix64 random) {
    return uniformPath(space, random);
  }

  /** A path drawn uniformly from the space with this random stream (for tests too). */
  static MbConvNetwork uniformPath(MbConvSpace space, SplitMix64 random) {
    SearchSpace s = space.space();
    int[][] choices = new int[s.layerCount()][];
    for (int l = 0; l < choices.length; l++) {
      choices[l] = new int[s.layer(l).variables().size()];
      for (int m = 0; m < choices[l].length; m++) {
        choices[l][m] = random.nextInt(s.choiceCount(l, m));
      }
    }
    return space.resolve(Architecture.of(choices));
  }

  /**
   * Ends an evaluation between two steps once its thread is interrupted: the worker interrupts an
   * evaluation that ran past the evaluators' time limit, or that it stops, and a step does not
   * check on its own. The flag stays set, which tells the worker that the evaluation did not
   * finish.
   */
  private static void stopIfInterrupted() {
    if (Thread.currentThread().isInterrupted()) {
      throw new CancellationException("the evaluation was interrupted");
    }
  }

  private void sync(Map<String, Double> metrics) {
    long t0 = System.nanoTime();
    // Average first, then publish: the file holds the averaged state, the best start for a joiner.
    int others = checkpoints.averageInto(net, manager);
    checkpoints.publish(net, evaluations, warmedUp);
    metrics.put("syncReplicas", (double) others);
    metrics.put("syncMs", (System.nanoTime() - t0) / 1e6);
    LOG.debug("search {}: averaged with {} other replica(s)", searchId, others);
  }

  /** The supernet (for tests). */
  MbConvSupernet supernet() {
    return net;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      manager.close();
    }
  }

  private static void checkShape(SearchSpace space, ImageData data) {
    org.fpnas.core.space.Network n = space.network().orElseThrow();
    var t = data.train();
    if (n.inputChannels() != t.channels()
        || n.inputHeight() != t.height()
        || n.inputWidth() != t.width()
        || n.classes() != t.classes()) {
      throw new IllegalArgumentException(
          "space '"
              + space.name()
              + "' takes "
              + n.inputHeight()
              + "x"
              + n.inputWidth()
              + "x"
              + n.inputChannels()
              + " images of "
              + n.classes()
              + " classes, but "
              + data.name()
              + " has "
              + t.height()
              + "x"
              + t.width()
              + "x"
              + t.channels()
              + " of "
              + t.classes());
    }
  }
}
