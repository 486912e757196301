package org.fpnas.core.tabular;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The benchmarks a process uses, each read once: submit validation, every evaluator and every
 * result report ask for the same one, and reading a table of 15,625 rows takes a fraction of a
 * second. A benchmark is named as a search's evaluator setting names it: a shipped name, or the
 * path of a {@code benchmark.yaml} (read where the process runs).
 */
public final class TabularBenchmarks {
  private static final Map<String, TabularBenchmark> LOADED = new ConcurrentHashMap<>();

  private TabularBenchmarks() {}

  /**
   * The benchmark a setting names.
   *
   * @throws IllegalArgumentException for an unknown name; {@link TableFormatException} for files
   *     that do not fit together
   */
  public static TabularBenchmark get(String nameOrPath) {
    if (nameOrPath == null || nameOrPath.isBlank()) {
      throw new IllegalArgumentException(
          "no benchmark named (shipped: "
              + String.join(", ", TabularBenchmark.SHIPPED)
              + "; or the path of a benchmark.yaml)");
    }
    String key = nameOrPath.strip();
    TabularBenchmark known = LOADED.get(key);
    if (known != null) {
      return known;
    }
    // Not computeIfAbsent: a failed load must not be remembered, and loading may take a while.
    TabularBenchmark loaded;
    if (TabularBenchmark.SHIPPED.contains(key)) {
      loaded = TabularBenchmark.shipped(key);
    } else if (java.nio.file.Files.isRegularFile(Path.of(key))) {
      loaded = TabularBenchmark.load(Path.of(key));
    } else {
      throw new IllegalArgumentException(
          "unknown benchmark '"
              + key
              + "': neither a shipped one ("
              + String.join(", ", TabularBenchmark.SHIPPED)
              + ") nor a benchmark.yaml file");
    }
    LOADED.putIfAbsent(key, loaded);
    return LOADED.get(key);
  }
}
