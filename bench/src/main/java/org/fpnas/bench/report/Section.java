package org.fpnas.bench.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one benchmark reports: its name (the CSV's file name and the {@code --only} key), title,
 * what it measures and how, its settings, how many repetitions each figure is over, the table, and
 * findings: sentences computed from the table (ratios, comparisons with the paper).
 */
public record Section(
    String name,
    String title,
    String method,
    Map<String, String> settings,
    int repetitions,
    Table table,
    List<String> findings) {
  public Section {
    settings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    findings = List.copyOf(findings);
    if (table.rowCount() == 0) {
      throw new IllegalArgumentException("benchmark " + name + " produced no rows");
    }
  }

  /** A section whose only row is a status (a benchmark skipped here, or failed). */
  public static Section status(
      String name, String title, String method, String status, Map<String, String> settings) {
    Table table = new Table().column("status").row(status);
    return new Section(name, title, method, settings, 0, table, List.of(status));
  }

  /** Whether the benchmark failed (see {@code Bench.failed}). */
  public boolean hasFailed() {
    return table.columns().size() == 1
        && table.columns().get(0).name().equals("status")
        && table.shownRows().get(0).get(0).startsWith("FAILED: ");
  }

  /** The CSV file name. */
  public String csvFile() {
    return name + ".csv";
  }
}
