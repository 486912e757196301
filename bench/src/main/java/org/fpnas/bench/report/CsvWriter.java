package org.fpnas.bench.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes one benchmark as CSV: comment lines ({@code #}) with the command, the machine, the
 * repetitions and every setting, so the file stands on its own; then the header and the rows (RFC
 * 4180 quoting). Readers skip the comments, e.g. pandas with {@code comment='#'}.
 */
public final class CsvWriter {
  private CsvWriter() {}

  /** The CSV text of a section. */
  public static String csv(Section section, Machine machine, String command) {
    StringBuilder out = new StringBuilder();
    comment(out, "fpnas bench: " + section.name() + " (" + section.title() + ")");
    comment(out, "command: " + command);
    comment(out, "machine: " + machine.oneLine());
    comment(out, "repetitions: " + section.repetitions());
    for (Map.Entry<String, String> e : section.settings().entrySet()) {
      comment(out, "setting " + e.getKey() + ": " + e.getValue());
    }
    line(out, section.table().csvHeader());
    for (List<String> row : section.table().csvRows()) {
      line(out, row);
    }
    return out.toString();
  }

  /** Writes {@code dir/<name>.csv} and returns its path. */
  public static Path write(Path dir, Section section, Machine machine, String command) {
    Path file = dir.resolve(section.csvFile());
    try {
      Files.writeString(file, csv(section, machine, command), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
    return file;
  }

  private static void comment(StringBuilder out, String text) {
    // A line break inside a setting would end the comment and start a bogus record.
    out.append("# ").append(text.replace('\n', ' ').replace('\r', ' ')).append('\n');
  }

  private static void line(StringBuilder out, List<String> cells) {
    for (int i = 0; i < cells.size(); i++) {
      out.append(i == 0 ? "" : ",").append(quoted(cells.get(i)));
    }
    out.append('\n');
  }

  /** A cell, quoted when it holds a comma, a quote, a line break or starts with '#'. */
  static String quoted(String cell) {
    boolean needs =
        cell.contains(",")
            || cell.contains("\"")
            || cell.contains("\n")
            || cell.contains("\r")
            || cell.startsWith("#");
    return needs ? "\"" + cell.replace("\"", "\"\"") + "\"" : cell;
  }
}
