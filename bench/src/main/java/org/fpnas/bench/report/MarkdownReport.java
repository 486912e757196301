package org.fpnas.bench.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The whole run as markdown ({@code BENCHMARKS.md}): the command, the machine, then per benchmark
 * what it measures and how, its settings and repetitions, the table and the findings.
 */
public final class MarkdownReport {
  private MarkdownReport() {}

  /** The markdown of a run. */
  public static String markdown(
      String command, Machine machine, Instant started, Duration took, List<Section> sections) {
    StringBuilder md = new StringBuilder();
    md.append("# fpnas benchmarks\n\n");
    md.append("Produced by `")
        .append(command)
        .append("`, started ")
        .append(started)
        .append(", took ")
        .append(minutes(took))
        .append(
            ". Every figure with a spread is the median over the repetitions, "
                + "with the smallest and largest value in parentheses; CSV files beside this one hold the same rows "
                + "unrounded.\n\n");
    md.append("## Machine\n\n| fact | value |\n|---|---|\n");
    for (Map.Entry<String, String> e : machine.facts().entrySet()) {
      md.append("| ")
          .append(e.getKey())
          .append(" | ")
          .append(e.getValue().replace("|", "\\|"))
          .append(" |\n");
    }
    md.append('\n');
    md.append("## Findings\n\n");
    for (Section s : sections) {
      for (String f : s.findings()) {
        md.append("- **").append(s.title()).append(":** ").append(f).append('\n');
      }
    }
    md.append('\n');
    int number = 1;
    for (Section s : sections) {
      md.append("## ")
          .append(number++)
          .append(". ")
          .append(s.title())
          .append(" (`")
          .append(s.name())
          .append("`)\n\n");
      md.append(s.method().strip()).append("\n\n");
      md.append("Repetitions: ").append(s.repetitions()).append(". Settings: ");
      md.append(
          String.join(
              "; ",
              s.settings().entrySet().stream()
                  .map(e -> e.getKey() + " = " + e.getValue())
                  .toList()));
      md.append(". Raw rows: [`")
          .append(s.csvFile())
          .append("`](")
          .append(s.csvFile())
          .append(").\n\n");
      md.append(s.table().markdown()).append('\n');
      for (String f : s.findings()) {
        md.append("- ").append(f).append('\n');
      }
      md.append('\n');
    }
    return md.toString();
  }

  /** Writes {@code dir/BENCHMARKS.md} and returns its path. */
  public static Path write(Path dir, String markdown) {
    Path file = dir.resolve("BENCHMARKS.md");
    try {
      Files.writeString(file, markdown, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
    return file;
  }

  public static String minutes(Duration d) {
    return String.format(Locale.ROOT, "%.1f min", d.toMillis() / 60_000.0);
  }
}
