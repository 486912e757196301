package org.fpnas.evaluator.djl;

/**
 * How a forward pass treats batch normalization.
 *
 * <p>The supernet scores every sample with {@link #BATCH_STATISTICS}: normalizing by the statistics
 * of the validation batch itself. Running averages shared by all paths are wrong for any one path
 * (a path sees features of widths and scales that other paths produced), so a fixed path evaluated
 * with them scores near chance; per-path recalibration would fix that at the price of extra forward
 * passes per sample. The validation batch is a few hundred images, so its own statistics are
 * accurate, and it costs nothing. A standalone network (one path) keeps its own running averages
 * and is tested with {@link #RUNNING_STATISTICS}.
 */
public enum Mode {
  /** Training: batch statistics, running averages updated on the path's slices. */
  TRAIN,
  /** Evaluation with the batch's own statistics; running averages untouched. */
  BATCH_STATISTICS,
  /** Evaluation with the running averages (a network trained along one path only). */
  RUNNING_STATISTICS
}
