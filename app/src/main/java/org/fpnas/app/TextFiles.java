package org.fpnas.app;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reading the user's files and the shipped examples, with errors that name the file. */
final class TextFiles {
  private TextFiles() {}

  static String read(String option, Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(option + ": file " + file + " does not exist");
    } catch (IOException e) {
      throw new IllegalArgumentException(
          option + ": cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  static String example(String name) {
    try (InputStream in = TextFiles.class.getResourceAsStream("/org/fpnas/core/examples/" + name)) {
      if (in == null) {
        throw new IllegalStateException("shipped example " + name + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read shipped example " + name, e);
    }
  }
}
