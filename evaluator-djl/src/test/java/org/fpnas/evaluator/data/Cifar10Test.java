package org.fpnas.evaluator.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CIFAR-10 is not available here: the reader is checked on records this test writes. */
class Cifar10Test {
  @TempDir Path dir;

  @Test
  void readsRecordsAsChannelMajorImages() throws IOException {
    Path file = dir.resolve("b.bin");
    Files.write(file, records(3, 0));
    ImageSet set = Cifar10.read(file);
    assertEquals(3, set.size());
    assertEquals(3, set.channels());
    assertEquals(32, set.height());
    for (int i = 0; i < 3; i++) {
      assertEquals(i % 10, set.label(i));
      assertEquals(pixel(i, 0, 0), set.pixel(i, 0)); // red plane first
      assertEquals(pixel(i, 1, 5), set.pixel(i, 1024 + 5)); // then green
      assertEquals(pixel(i, 2, 1023), set.pixel(i, 2048 + 1023)); // then blue
    }
  }

  @Test
  void loadsTheSixFilesFromTheUnpackedDirectory() throws IOException {
    Path base = Files.createDirectory(dir.resolve("cifar-10-batches-bin"));
    for (int b = 1; b <= 5; b++) {
      Files.write(base.resolve("data_batch_" + b + ".bin"), records(2, b));
    }
    Files.write(base.resolve("test_batch.bin"), records(4, 9));
    ImageData data = Datasets.load(Cifar10.NAME, dir);
    assertEquals(10, data.train().size());
    assertEquals(4, data.test().size());
    // Training image 9 is the second record of data_batch_5.bin, written as image 6.
    assertEquals(6, data.train().label(9));
    assertEquals(pixel(6, 1, 7), data.train().pixel(9, 1024 + 7));
  }

  @Test
  void missingAndCorruptFilesAreNamed() throws IOException {
    String missing =
        assertThrows(DataUnavailableException.class, () -> Cifar10.load(dir)).getMessage();
    assertTrue(
        missing.startsWith("CIFAR-10 is not in " + dir + ": missing data_batch_1.bin"), missing);
    assertTrue(missing.contains("https://www.cs.toronto.edu/~kriz/cifar.html"), missing);
    Path partial = dir.resolve("partial.bin");
    Files.write(partial, java.util.Arrays.copyOf(records(2, 0), Cifar10.RECORD + 10));
    assertTrue(
        assertThrows(DataUnavailableException.class, () -> Cifar10.read(partial))
            .getMessage()
            .contains("is not a whole number of 3073-byte records"));
    byte[] badLabel = records(1, 0);
    badLabel[0] = 10;
    Path bad = dir.resolve("bad.bin");
    Files.write(bad, badLabel);
    assertTrue(
        assertThrows(DataUnavailableException.class, () -> Cifar10.read(bad))
            .getMessage()
            .contains("record 0 has label 10"));
  }

  private static int pixel(int image, int channel, int j) {
    return (image * 7 + channel * 31 + j) % 256;
  }

  /** {@code n} records; record i has label (i + offset) % 10 and pixels from {@link #pixel}. */
  private static byte[] records(int n, int offset) {
    byte[] out = new byte[n * Cifar10.RECORD];
    for (int i = 0; i < n; i++) {
      int image = i + offset;
      out[i * Cifar10.RECORD] = (byte) (image % 10);
      for (int c = 0; c < 3; c++) {
        for (int j = 0; j < 1024; j++) {
          out[i * Cifar10.RECORD + 1 + c * 1024 + j] = (byte) pixel(image, c, j);
        }
      }
    }
    return out;
  }
}
