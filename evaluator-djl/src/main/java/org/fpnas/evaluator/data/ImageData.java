package org.fpnas.evaluator.data;

import java.util.Objects;

/**
 * A data set: its training images (from which the search holds out a validation split) and its test
 * images (used only for the final report).
 *
 * @param name the data set's name, e.g. {@code fashion-mnist}
 * @param train the training images
 * @param test the test images
 */
public record ImageData(String name, ImageSet train, ImageSet test) {
  /** Requires both sets, of one shape. */
  public ImageData {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(test, "test");
    if (train.channels() != test.channels()
        || train.height() != test.height()
        || train.width() != test.width()) {
      throw new IllegalArgumentException(name + ": training and test images differ in shape");
    }
  }
}
