package org.fpnas.evaluator.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CIFAR-10 (Krizhevsky 2009; 50,000 training and 10,000 test images of 32x32 RGB, 10 classes) in
 * its binary version: files of 3,073-byte records, a label byte then 1,024 red, 1,024 green and
 * 1,024 blue bytes.
 */
public final class Cifar10 {
  /** The data set's name. */
  public static final String NAME = "cifar-10";

  /** The training files. */
  public static final List<String> TRAIN_FILES =
      List.of(
          "data_batch_1.bin",
          "data_batch_2.bin",
          "data_batch_3.bin",
          "data_batch_4.bin",
          "data_batch_5.bin");

  /** The test file. */
  public static final String TEST_FILE = "test_batch.bin";

  /** Bytes per record. */
  public static final int RECORD = 1 + 3 * 32 * 32;

  private Cifar10() {}

  /**
   * Reads the data set from a directory holding the six {@code .bin} files (or from its {@code
   * cifar-10-batches-bin} subdirectory, as the archive unpacks).
   *
   * @throws DataUnavailableException naming the missing or corrupt file and where to get the data
   */
  public static ImageData load(Path dir) {
    Path base =
        Files.isDirectory(dir.resolve("cifar-10-batches-bin"))
            ? dir.resolve("cifar-10-batches-bin")
            : dir;
    List<String> missing = new ArrayList<>();
    for (String f : concat(TRAIN_FILES, TEST_FILE)) {
      if (!Files.isRegularFile(base.resolve(f))) {
        missing.add(f);
      }
    }
    if (!missing.isEmpty()) {
      throw new DataUnavailableException(
          "CIFAR-10 is not in "
              + dir
              + ": missing "
              + String.join(", ", missing)
              + ". Download the binary version (cifar-10-binary.tar.gz) from https://www.cs.toronto.edu/~kriz/cifar.html,"
              + " unpack it and point --data-dir (evaluator setting dataDir) at its cifar-10-batches-bin directory");
    }
    ImageSet train = null;
    for (String f : TRAIN_FILES) {
      ImageSet batch = read(base.resolve(f));
      train = train == null ? batch : ImageSet.concat(train, batch);
    }
    return new ImageData(NAME, train, read(base.resolve(TEST_FILE)));
  }

  /**
   * Reads one binary batch file.
   *
   * @throws DataUnavailableException when it cannot be read or is not whole records with labels 0-9
   */
  public static ImageSet read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new DataUnavailableException("cannot read CIFAR-10 file " + file + ": " + e, e);
    }
    if (bytes.length == 0 || bytes.length % RECORD != 0) {
      throw new DataUnavailableException(
          "CIFAR-10 file "
              + file
              + " is corrupt: "
              + bytes.length
              + " bytes is not a whole number of "
              + RECORD
              + "-byte records");
    }
    int n = bytes.length / RECORD;
    byte[] labels = new byte[n];
    byte[] pixels = new byte[n * (RECORD - 1)];
    for (int i = 0; i < n; i++) {
      labels[i] = bytes[i * RECORD];
      if (Byte.toUnsignedInt(labels[i]) > 9) {
        throw new DataUnavailableException(
            "CIFAR-10 file "
                + file
                + " is corrupt: record "
                + i
                + " has label "
                + Byte.toUnsignedInt(labels[i]));
      }
      System.arraycopy(bytes, i * RECORD + 1, pixels, i * (RECORD - 1), RECORD - 1);
    }
    return new ImageSet(pixels, labels, 3, 32, 32, 10);
  }

  private static List<String> concat(List<String> a, String b) {
    List<String> out = new ArrayList<>(a);
    out.add(b);
    return out;
  }
}
