package org.fpnas.evaluator.data;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Loads data sets by name and keeps them for the life of the process: every evaluator and search of
 * a process shares one read-only copy (Fashion-MNIST is 55 MB as bytes).
 */
public final class Datasets {
  private static final Map<String, ImageData> LOADED = new HashMap<>();

  private Datasets() {}

  /**
   * The data set {@code name} ({@code fashion-mnist} or {@code cifar-10}) from {@code dir}, or from
   * its default directory when {@code dir} is null (Fashion-MNIST: Debian's; CIFAR-10 has none).
   *
   * @throws DataUnavailableException when the files are missing or corrupt
   * @throws IllegalArgumentException for an unknown name
   */
  public static synchronized ImageData load(String name, Path dir) {
    String key =
        name.toLowerCase(Locale.ROOT) + "|" + (dir == null ? "" : dir.toAbsolutePath().normalize());
    ImageData data = LOADED.get(key);
    if (data == null) {
      data =
          switch (name.toLowerCase(Locale.ROOT)) {
            case FashionMnist.NAME ->
                FashionMnist.load(dir == null ? FashionMnist.DEBIAN_DIR : dir);
            case Cifar10.NAME -> {
              if (dir == null) {
                throw new DataUnavailableException(
                    "CIFAR-10 has no default location: download the binary version from"
                        + " https://www.cs.toronto.edu/~kriz/cifar.html and point --data-dir (evaluator service setting dataDir) at"
                        + " its cifar-10-batches-bin directory");
              }
              yield Cifar10.load(dir);
            }
            default ->
                throw new IllegalArgumentException(
                    "unknown data set '"
                        + name
                        + "' (known: "
                        + FashionMnist.NAME
                        + ", "
                        + Cifar10.NAME
                        + ")");
          };
      LOADED.put(key, data);
    }
    return data;
  }
}
