package org.fpnas.bench;

import java.util.List;
import java.util.Map;
import org.fpnas.bench.report.Section;

/** One benchmark of {@code fpnas bench}. */
public interface Bench {
  /** The key for {@code --only} and the CSV file name, e.g. {@code adaptive-sampling}. */
  String name();

  /** The heading, e.g. "Adaptive sampling vs PARSEC". */
  String title();

  /** What it measures and how, in a few markdown sentences. */
  String method();

  /**
   * Teams whose topics it uses (created before the controller starts); none for in-process
   * benchmarks.
   */
  default List<String> teams() {
    return List.of();
  }

  /** Runs it. */
  Section run(BenchContext context) throws Exception;

  /** Its section when it cannot run here, with the reason as its only row. */
  default Section skipped(String reason, Map<String, String> settings) {
    return Section.status(name(), title(), method(), "skipped: " + reason, settings);
  }

  /** Its section when it failed, with the error as its only row. */
  default Section failed(String error) {
    return Section.status(name(), title(), method(), "FAILED: " + error, Map.of());
  }
}
