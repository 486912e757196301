package org.fpnas.evaluator.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {
  @TempDir Path dir;

  @Test
  void readsTheRealFilesWhereDebianInstallsThem() {
    // CI installs the package (apt-get install dataset-fashion-mnist); without it this fails
    // with the message that says so.
    ImageData data = Datasets.load(FashionMnist.NAME, null);
    assertEquals(60_000, data.train().size());
    assertEquals(10_000, data.test().size());
    assertEquals(28, data.train().height());
    assertEquals(1, data.train().channels());
    int[] perClass = new int[10];
    for (int i = 0; i < data.train().size(); i++) {
      perClass[data.train().label(i)]++;
    }
    assertArrayEquals(
        new int[] {6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000}, perClass);
    // The first training image is an ankle boot (class 9), as the data set's documentation shows.
    assertEquals(9, data.train().label(0));
    double mean = data.train().channelMeans()[0];
    assertEquals(0.286, mean, 0.001);
    assertEquals(0.353, data.train().channelStds()[0], 0.001);
  }

  @Test
  void readsRawAndGzippedFilesAlike() throws IOException {
    writeSet(dir, 3, false);
    ImageData raw = FashionMnist.load(dir);
    Path gz = Files.createDirectory(dir.resolve("gz"));
    writeSet(gz, 3, true);
    ImageData zipped = FashionMnist.load(gz);
    assertEquals(3, raw.train().size());
    for (int i = 0; i < 3; i++) {
      assertEquals(raw.train().label(i), zipped.train().label(i));
      assertEquals(raw.train().pixel(i, 400), zipped.train().pixel(i, 400));
    }
    assertEquals(7, raw.train().pixel(1, 5));
  }

  @Test
  void missingFilesAreNamedWithHowToGetThem() throws IOException {
    writeSet(dir, 2, true);
    Files.delete(dir.resolve("t10k-labels-idx1-ubyte.gz"));
    Files.delete(dir.resolve("train-images-idx3-ubyte.gz"));
    String message =
        assertThrows(DataUnavailableException.class, () -> FashionMnist.load(dir)).getMessage();
    assertTrue(
        message.startsWith(
            "Fashion-MNIST is not in "
                + dir
                + ": missing train-images-idx3-ubyte(.gz), t10k-labels-idx1-ubyte(.gz)."),
        message);
    assertTrue(message.contains("apt-get install dataset-fashion-mnist"), message);
    assertTrue(message.contains("--data-dir"), message);
  }

  @Test
  void corruptFilesAreNamedWithTheReason() throws IOException {
    assertCorrupt(
        "train-images-idx3-ubyte",
        new byte[] {0, 0, 9, 3},
        "not an IDX file of unsigned bytes (magic 0x00000903");
    assertCorrupt(
        "train-images-idx3-ubyte", new byte[] {0, 0}, "shorter than the 4-byte IDX header");
    assertCorrupt(
        "train-images-idx3-ubyte",
        idx(new int[] {2, 28, 28}, new byte[100]),
        "truncated: 100 of 1568 data bytes");
    assertCorrupt(
        "train-images-idx3-ubyte",
        idx(new int[] {2, 28, 28}, new byte[1569]),
        "extra bytes after the 1568 data bytes");
    assertCorrupt(
        "train-images-idx3-ubyte",
        idx(new int[] {2, 27, 27}, new byte[2 * 27 * 27]),
        "expected images of 28x28");
    assertCorrupt("train-labels-idx1-ubyte", idx(new int[] {3}, new byte[3]), "expected 2 labels");
    assertCorrupt(
        "train-labels-idx1-ubyte",
        idx(new int[] {2}, new byte[] {1, 10}),
        "label 10 of image 1 is not below the 10 classes");
    byte[] gzip = gzip(idx(new int[] {2, 28, 28}, new byte[1568]));
    byte[] broken = java.util.Arrays.copyOf(gzip, gzip.length - 20);
    assertCorrupt("train-images-idx3-ubyte.gz", broken, "train-images-idx3-ubyte.gz is corrupt");
  }

  private void assertCorrupt(String file, byte[] contents, String expected) throws IOException {
    Path d = Files.createTempDirectory(dir, "set");
    writeSet(d, 2, false);
    Files.deleteIfExists(d.resolve(file.replace(".gz", "")));
    Files.write(d.resolve(file), contents);
    String message =
        assertThrows(DataUnavailableException.class, () -> FashionMnist.load(d)).getMessage();
    assertTrue(message.contains(expected), message);
    assertTrue(message.contains(d.resolve(file).toString() + " is corrupt"), message);
    assertTrue(message.contains("apt-get install --reinstall dataset-fashion-mnist"), message);
  }

  /**
   * Writes the four files of a tiny set: image i has pixel j = (i + j) % 256 ... and label i % 10.
   */
  static void writeSet(Path d, int n, boolean gzip) throws IOException {
    byte[] pixels = new byte[n * 28 * 28];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) ((i / 784 + i % 784) % 256);
    }
    pixels[784 + 5] = 7;
    byte[] labels = new byte[n];
    for (int i = 0; i < n; i++) {
      labels[i] = (byte) (i % 10);
    }
    for (String prefix : new String[] {"train", "t10k"}) {
      write(
          d.resolve(prefix + "-images-idx3-ubyte" + (gzip ? ".gz" : "")),
          idx(new int[] {n, 28, 28}, pixels),
          gzip);
      write(
          d.resolve(prefix + "-labels-idx1-ubyte" + (gzip ? ".gz" : "")),
          idx(new int[] {n}, labels),
          gzip);
    }
  }

  static byte[] idx(int[] dims, byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(0x0800 | dims.length);
    for (int d : dims) {
      out.writeInt(d);
    }
    out.write(data);
    return bytes.toByteArray();
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(bytes)) {
      out.write(data);
    }
    return bytes.toByteArray();
  }

  private static void write(Path file, byte[] data, boolean gzip) throws IOException {
    Files.write(file, gzip ? gzip(data) : data);
  }
}
