package org.fpnas.evaluator.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads an IDX file of unsigned bytes (the format of MNIST and Fashion-MNIST), gzipped or not:
 * magic {@code 00 00 08 n}, then {@code n} big-endian dimensions, then the bytes.
 */
public final class IdxFile {
  private IdxFile() {}

  /**
   * The contents of an IDX file of unsigned bytes.
   *
   * @param dims the dimensions, e.g. {@code [60000, 28, 28]}
   * @param data the bytes, {@code product(dims)} of them
   */
  public record Contents(int[] dims, byte[] data) {}

  /**
   * Reads a file; a name ending in {@code .gz} or a gzip header means gzipped.
   *
   * @throws IOException when the file cannot be read
   * @throws IllegalArgumentException saying why the contents are not a valid IDX file
   */
  public static Contents read(Path file) throws IOException {
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
      raw.mark(2);
      int b0 = raw.read();
      int b1 = raw.read();
      raw.reset();
      boolean gzip = b0 == 0x1f && b1 == 0x8b;
      try (InputStream in =
          gzip ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw) {
        return read(in);
      } catch (java.util.zip.ZipException e) {
        throw new IllegalArgumentException("broken gzip data (" + e.getMessage() + ")", e);
      } catch (EOFException e) {
        throw new IllegalArgumentException(
            "truncated " + (gzip ? "gzip " : "") + "data (" + e.getMessage() + ")", e);
      }
    }
  }

  /** Reads IDX contents from a stream (not gzipped). */
  public static Contents read(InputStream stream) throws IOException {
    DataInputStream in = new DataInputStream(stream);
    int magic;
    try {
      magic = in.readInt();
    } catch (EOFException e) {
      throw new IllegalArgumentException("the file is shorter than the 4-byte IDX header");
    }
    if ((magic >>> 16) != 0 || ((magic >>> 8) & 0xff) != 0x08) {
      throw new IllegalArgumentException(
          String.format(
              java.util.Locale.ROOT,
              "not an IDX file of unsigned bytes (magic 0x%08x, expected 0x000008nn)",
              magic));
    }
    int n = magic & 0xff;
    if (n < 1 || n > 4) {
      throw new IllegalArgumentException("IDX file with " + n + " dimensions (expected 1 to 4)");
    }
    int[] dims = new int[n];
    long total = 1;
    for (int d = 0; d < n; d++) {
      try {
        dims[d] = in.readInt();
      } catch (EOFException e) {
        throw new IllegalArgumentException(
            "the IDX header ends before dimension " + (d + 1) + " of " + n);
      }
      if (dims[d] < 1) {
        throw new IllegalArgumentException("dimension " + (d + 1) + " is " + dims[d]);
      }
      total *= dims[d];
      if (total > Integer.MAX_VALUE - 16) {
        throw new IllegalArgumentException(
            "IDX dimensions too large: " + java.util.Arrays.toString(dims));
      }
    }
    byte[] data = new byte[(int) total];
    int read = in.readNBytes(data, 0, data.length);
    if (read < data.length) {
      throw new IllegalArgumentException(
          "truncated: " + read + " of " + data.length + " data bytes");
    }
    if (in.read() != -1) {
      throw new IllegalArgumentException("extra bytes after the " + data.length + " data bytes");
    }
    return new Contents(dims, data);
  }
}
