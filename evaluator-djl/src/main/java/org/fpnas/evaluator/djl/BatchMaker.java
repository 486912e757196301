package org.fpnas.evaluator.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.fpnas.evaluator.data.ImageSet;

/**
 * Turns image indices into a {@link Batch}: pixels scaled to [0, 1] and standardized per channel
 * with the mean and deviation of the training images, labels one-hot. Arrays are created on the
 * given manager, which should be a per-step sub-manager that the caller closes.
 */
final class BatchMaker {
  private final ImageSet images;
  private final float[] scale;
  private final float[] shift;

  /** Standardizes with the statistics of {@code statistics} (the training images). */
  BatchMaker(ImageSet images, ImageSet statistics) {
    this.images = images;
    double[] means = statistics.channelMeans();
    double[] stds = statistics.channelStds();
    scale = new float[means.length];
    shift = new float[means.length];
    for (int c = 0; c < means.length; c++) {
      scale[c] = (float) (1.0 / (255.0 * stds[c]));
      shift[c] = (float) (-means[c] / stds[c]);
    }
  }

  ImageSet images() {
    return images;
  }

  Batch make(NDManager manager, int[] indices) {
    int n = indices.length;
    int size = images.imageSize();
    int plane = images.height() * images.width();
    int classes = images.classes();
    float[] pixels = new float[n * size];
    float[] oneHot = new float[n * classes];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      int image = indices[i];
      for (int j = 0; j < size; j++) {
        int c = j / plane;
        pixels[i * size + j] = images.pixel(image, j) * scale[c] + shift[c];
      }
      labels[i] = images.label(image);
      oneHot[i * classes + labels[i]] = 1f;
    }
    return new Batch(
        owned(manager, pixels, new Shape(n, images.channels(), images.height(), images.width())),
        owned(manager, oneHot, new Shape(n, classes)),
        labels);
  }

  /**
   * An array in memory the engine allocated, holding a copy of Java data. DJL's PyTorch engine
   * makes a CPU array from Java data point at a direct buffer that only the Java object keeps
   * alive; tensors that PyTorch derives from it can outlive that object, and batch-norm statistics
   * were seen to turn into NaN under load. Copying once per batch removes the risk.
   */
  static NDArray owned(NDManager manager, float[] data, Shape shape) {
    try (NDArray fromJava = manager.create(data, shape)) {
      return manager.zeros(shape).addi(fromJava);
    }
  }
}
