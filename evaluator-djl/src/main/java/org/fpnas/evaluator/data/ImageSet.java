package org.fpnas.evaluator.data;

import java.util.Objects;

/**
 * Labelled images held as unsigned bytes, channel-major per image ({@code [n][c][h][w]}), the
 * layout of IDX and CIFAR-10 files and of a DJL {@code NCHW} batch. Immutable once built.
 */
public final class ImageSet {
  private final byte[] pixels;
  private final byte[] labels;
  private final int channels;
  private final int height;
  private final int width;
  private final int classes;

  /**
   * Wraps the arrays (not copied: the caller hands them over).
   *
   * @throws IllegalArgumentException when the sizes do not fit or a label is out of range
   */
  public ImageSet(byte[] pixels, byte[] labels, int channels, int height, int width, int classes) {
    this.pixels = Objects.requireNonNull(pixels, "pixels");
    this.labels = Objects.requireNonNull(labels, "labels");
    if (channels < 1 || height < 1 || width < 1 || classes < 2) {
      throw new IllegalArgumentException(
          "bad image set shape "
              + channels
              + "x"
              + height
              + "x"
              + width
              + " with "
              + classes
              + " classes");
    }
    if ((long) labels.length * channels * height * width != pixels.length) {
      throw new IllegalArgumentException(
          labels.length
              + " labels but "
              + pixels.length
              + " pixel bytes for "
              + channels
              + "x"
              + height
              + "x"
              + width
              + " images");
    }
    for (int i = 0; i < labels.length; i++) {
      if (Byte.toUnsignedInt(labels[i]) >= classes) {
        throw new IllegalArgumentException(
            "label "
                + Byte.toUnsignedInt(labels[i])
                + " of image "
                + i
                + " is not below the "
                + classes
                + " classes");
      }
    }
    this.channels = channels;
    this.height = height;
    this.width = width;
    this.classes = classes;
  }

  /** Number of images. */
  public int size() {
    return labels.length;
  }

  /** Channels per image. */
  public int channels() {
    return channels;
  }

  /** Image height. */
  public int height() {
    return height;
  }

  /** Image width. */
  public int width() {
    return width;
  }

  /** Number of classes; labels are 0 to classes - 1. */
  public int classes() {
    return classes;
  }

  /** Bytes per image. */
  public int imageSize() {
    return channels * height * width;
  }

  /** The label of image {@code i}. */
  public int label(int i) {
    return Byte.toUnsignedInt(labels[i]);
  }

  /** Pixel {@code j} (channel-major) of image {@code i}, 0 to 255. */
  public int pixel(int i, int j) {
    return Byte.toUnsignedInt(pixels[i * imageSize() + j]);
  }

  /** The mean of every channel over all images, in [0, 1]. */
  public double[] channelMeans() {
    double[] sums = new double[channels];
    int plane = height * width;
    for (int i = 0; i < pixels.length; i++) {
      sums[(i / plane) % channels] += Byte.toUnsignedInt(pixels[i]);
    }
    double[] out = new double[channels];
    for (int c = 0; c < channels; c++) {
      out[c] = sums[c] / 255.0 / ((double) size() * plane);
    }
    return out;
  }

  /** The standard deviation of every channel over all images, in [0, 1]. */
  public double[] channelStds() {
    double[] means = channelMeans();
    double[] sums = new double[channels];
    int plane = height * width;
    for (int i = 0; i < pixels.length; i++) {
      int c = (i / plane) % channels;
      double d = Byte.toUnsignedInt(pixels[i]) / 255.0 - means[c];
      sums[c] += d * d;
    }
    double[] out = new double[channels];
    for (int c = 0; c < channels; c++) {
      out[c] = Math.max(1e-6, Math.sqrt(sums[c] / ((double) size() * plane)));
    }
    return out;
  }

  /** Two sets of the same shape, one after the other. */
  public static ImageSet concat(ImageSet a, ImageSet b) {
    if (a.channels != b.channels
        || a.height != b.height
        || a.width != b.width
        || a.classes != b.classes) {
      throw new IllegalArgumentException("cannot join image sets of different shapes");
    }
    byte[] p = new byte[a.pixels.length + b.pixels.length];
    System.arraycopy(a.pixels, 0, p, 0, a.pixels.length);
    System.arraycopy(b.pixels, 0, p, a.pixels.length, b.pixels.length);
    byte[] l = new byte[a.labels.length + b.labels.length];
    System.arraycopy(a.labels, 0, l, 0, a.labels.length);
    System.arraycopy(b.labels, 0, l, a.labels.length, b.labels.length);
    return new ImageSet(p, l, a.channels, a.height, a.width, a.classes);
  }

  @Override
  public String toString() {
    return "ImageSet["
        + size()
        + " x "
        + channels
        + "x"
        + height
        + "x"
        + width
        + ", "
        + classes
        + " classes]";
  }
}
