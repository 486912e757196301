package org.fpnas.evaluator.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Fashion-MNIST (Xiao et al. 2017; 60,000 training and 10,000 test images of 28x28 grey clothes, 10
 * classes, MIT licence) from its four IDX files, gzipped or not.
 */
public final class FashionMnist {
  /** The data set's name. */
  public static final String NAME = "fashion-mnist";

  /** Where Debian's package {@code dataset-fashion-mnist} installs the files. */
  public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");

  /** The four files, without the optional {@code .gz}. */
  public static final List<String> FILES =
      List.of(
          "train-images-idx3-ubyte",
          "train-labels-idx1-ubyte",
          "t10k-images-idx3-ubyte",
          "t10k-labels-idx1-ubyte");

  private static final int SIDE = 28;
  private static final int CLASSES = 10;

  private FashionMnist() {}

  /**
   * Reads the data set from a directory.
   *
   * @throws DataUnavailableException naming every missing file, or the corrupt one and why, and how
   *     to get the data
   */
  public static ImageData load(Path dir) {
    List<String> missing = new ArrayList<>();
    Path[] files = new Path[FILES.size()];
    for (int i = 0; i < files.length; i++) {
      files[i] = find(dir, FILES.get(i));
      if (files[i] == null) {
        missing.add(FILES.get(i) + "(.gz)");
      }
    }
    if (!missing.isEmpty()) {
      throw new DataUnavailableException(
          "Fashion-MNIST is not in "
              + dir
              + ": missing "
              + String.join(", ", missing)
              + ". Install it with 'apt-get install dataset-fashion-mnist' (Debian and Ubuntu put it in "
              + DEBIAN_DIR
              + "), or point --data-dir (evaluator setting dataDir) at a directory holding the four IDX files "
              + String.join(", ", FILES)
              + " (gzipped or not) from https://github.com/zalandoresearch/fashion-mnist");
    }
    ImageSet train = set(files[0], files[1]);
    ImageSet test = set(files[2], files[3]);
    return new ImageData(NAME, train, test);
  }

  private static ImageSet set(Path imagesFile, Path labelsFile) {
    IdxFile.Contents images = read(imagesFile);
    IdxFile.Contents labels = read(labelsFile);
    if (images.dims().length != 3 || images.dims()[1] != SIDE || images.dims()[2] != SIDE) {
      throw corrupt(
          imagesFile,
          "expected images of "
              + SIDE
              + "x"
              + SIDE
              + ", found dimensions "
              + java.util.Arrays.toString(images.dims()));
    }
    if (labels.dims().length != 1 || labels.dims()[0] != images.dims()[0]) {
      throw corrupt(
          labelsFile,
          "expected "
              + images.dims()[0]
              + " labels (one per image of "
              + imagesFile.getFileName()
              + "), found dimensions "
              + java.util.Arrays.toString(labels.dims()));
    }
    try {
      return new ImageSet(images.data(), labels.data(), 1, SIDE, SIDE, CLASSES);
    } catch (IllegalArgumentException e) {
      throw corrupt(labelsFile, e.getMessage());
    }
  }

  private static IdxFile.Contents read(Path file) {
    try {
      return IdxFile.read(file);
    } catch (IllegalArgumentException e) {
      throw corrupt(file, e.getMessage());
    } catch (IOException e) {
      throw new DataUnavailableException("cannot read Fashion-MNIST file " + file + ": " + e, e);
    }
  }

  private static DataUnavailableException corrupt(Path file, String why) {
    return new DataUnavailableException(
        "Fashion-MNIST file "
            + file
            + " is corrupt: "
            + why
            + ". Reinstall it ('apt-get install --reinstall dataset-fashion-mnist') or replace it with the file from "
            + "https://github.com/zalandoresearch/fashion-mnist");
  }

  private static Path find(Path dir, String name) {
    for (String candidate : List.of(name + ".gz", name)) {
      Path p = dir.resolve(candidate);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    return null;
  }
}
