package org.fpnas.evaluator.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import org.fpnas.core.mbconv.MbConvNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One training step and one scoring pass along a path of a supernet. Every native array a call
 * creates is closed before it returns: the batch lives in a per-step sub-manager, and an {@link
 * NDScope} catches what DJL attaches elsewhere (slices of parameters belong to the parameters'
 * manager), so native memory stays flat however many steps run.
 */
final class PathTraining {
  private static final Logger LOG = LoggerFactory.getLogger(PathTraining.class);

  /** Consecutive skipped steps after which training counts as diverged. */
  private static final int MAX_SKIPPED_IN_A_ROW = 10;

  private final MbConvSupernet net;
  private final NDManager manager;
  private final SliceSgd optimizer;
  private int skippedInARow;
  private long skipped;

  PathTraining(MbConvSupernet net, NDManager manager, SliceSgd optimizer) {
    this.net = net;
    this.manager = manager;
    this.optimizer = optimizer;
  }

  /** What scoring a batch measured. */
  record Score(double logLikelihood, int correct, int count) {
    double accuracy() {
      return count == 0 ? 0 : (double) correct / count;
    }
  }

  /** Steps skipped so far because their loss or gradient was not finite. */
  long skippedSteps() {
    return skipped;
  }

  /**
   * Trains one step on the images along the path; returns the batch's mean cross-entropy. A step
   * whose loss or gradient is not finite changes no weight (its gradient is dropped); was seen
   * rarely, only on a heavily loaded machine, and more than a few in a row mean the supernet
   * diverged.
   */
  double step(BatchMaker data, int[] indices, MbConvNetwork path, double learningRate) {
    synchronized (DjlRuntime.GRADIENTS) {
      try (NDScope scope = new NDScope();
          NDManager stepManager = manager.newSubManager()) {
        Batch batch = data.make(stepManager, indices);
        PathTrace trace = new PathTrace();
        double loss;
        try (GradientCollector collector = DjlRuntime.engine().newGradientCollector()) {
          NDArray logits = net.forward(batch.images(), path, Mode.TRAIN, trace);
          // mean() rather than div(batch size): a Number operand would be a Java-owned constant
          // that the
          // backward pass reads after DJL released it (see MbConvSupernet.hardSigmoid).
          NDArray mean = logits.logSoftmax(1).mul(batch.oneHot()).sum(new int[] {1}).mean().neg();
          collector.backward(mean);
          loss = mean.getFloat();
        }
        DjlRuntime.disableGradients();
        boolean applied = Double.isFinite(loss) && optimizer.step(trace, learningRate);
        if (!applied) {
          optimizer.dropGradients(trace);
          skipped++;
          LOG.warn(
              "training step skipped: loss {} or its gradient is not finite ({} in a row)",
              loss,
              skippedInARow + 1);
          if (++skippedInARow >= MAX_SKIPPED_IN_A_ROW) {
            throw new IllegalStateException(
                "training diverged: "
                    + skippedInARow
                    + " steps in a row had no finite loss or gradient (lower learningRate)");
          }
        } else {
          skippedInARow = 0;
        }
        return loss;
      }
    }
  }

  /** The summed log-likelihood and the correct answers of one batch along the path. */
  Score score(BatchMaker data, int[] indices, MbConvNetwork path, Mode mode) {
    DjlRuntime.disableGradients();
    try (NDScope scope = new NDScope();
        NDManager stepManager = manager.newSubManager()) {
      Batch batch = data.make(stepManager, indices);
      NDArray logits = net.forward(batch.images(), path, mode, null);
      float[] perImage = logits.logSoftmax(1).mul(batch.oneHot()).sum(new int[] {1}).toFloatArray();
      long[] predicted = logits.argMax(1).toLongArray();
      double sum = 0;
      int correct = 0;
      for (int i = 0; i < perImage.length; i++) {
        sum += perImage[i];
        correct += predicted[i] == batch.labels()[i] ? 1 : 0;
      }
      return new Score(sum, correct, perImage.length);
    }
  }
}
