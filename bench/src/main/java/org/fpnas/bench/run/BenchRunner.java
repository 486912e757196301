package org.fpnas.bench.run;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.fpnas.bench.Bench;
import org.fpnas.bench.BenchContext;
import org.fpnas.bench.djl.DjlEvaluatorBench;
import org.fpnas.bench.djl.SupernetRankingBench;
import org.fpnas.bench.pipeline.AggregatorThroughputBench;
import org.fpnas.bench.pipeline.ControlLatencyBench;
import org.fpnas.bench.pipeline.EvaluatorScalingBench;
import org.fpnas.bench.pipeline.PipelineOverheadBench;
import org.fpnas.bench.pipeline.ReplayThroughputBench;
import org.fpnas.bench.pipeline.SearchMemoryBench;
import org.fpnas.bench.quality.AdaptiveSamplingBench;
import org.fpnas.bench.quality.AsyncScalingBench;
import org.fpnas.bench.quality.CoarseToFineBench;
import org.fpnas.bench.quality.SearchQualityBench;
import org.fpnas.bench.report.CsvWriter;
import org.fpnas.bench.report.Machine;
import org.fpnas.bench.report.MarkdownReport;
import org.fpnas.bench.report.Section;

/**
 * Runs benchmarks one after the other, prints each table as it is done, and writes {@code
 * BENCHMARKS.md} and one CSV per benchmark. A benchmark that fails is reported as failed and the
 * others still run (a long run should not lose its other results); the run then counts as failed.
 */
public final class BenchRunner {
  private BenchRunner() {}

  /**
   * Every benchmark, in the order they run and are reported: in-process ones first, then Kafka
   * ones, DJL last.
   */
  public static List<Bench> all() {
    return List.of(
        new AdaptiveSamplingBench(),
        new CoarseToFineBench(),
        new SearchQualityBench(),
        new AsyncScalingBench(),
        new PipelineOverheadBench(),
        new EvaluatorScalingBench(),
        new ControlLatencyBench(),
        new AggregatorThroughputBench(),
        new ReplayThroughputBench(),
        new DjlEvaluatorBench());
  }

  /**
   * Benchmarks that run only when named in {@code --only}, after the others: each takes too long
   * for the default run (supernet-ranking trains 38 networks from scratch, search-memory runs
   * 10,000 searches).
   */
  public static List<Bench> onlyWhenNamed() {
    return List.of(new SupernetRankingBench(), new SearchMemoryBench());
  }

  /**
   * The benchmarks named (all of {@link #all()} when none is), in the canonical order: the
   * aggregator benchmark stops the evaluators and the replay benchmark the controller, so the order
   * is not free.
   *
   * @throws IllegalArgumentException naming an unknown benchmark and listing the known ones
   */
  public static List<Bench> select(List<String> names) {
    if (names == null || names.isEmpty()) {
      return all();
    }
    Set<String> wanted = new LinkedHashSet<>();
    for (String n : names) {
      wanted.add(n.trim());
    }
    List<Bench> every = new ArrayList<>(all());
    every.addAll(onlyWhenNamed());
    List<String> known = every.stream().map(Bench::name).toList();
    for (String n : wanted) {
      if (!known.contains(n)) {
        throw new IllegalArgumentException(
            "--only: unknown benchmark '" + n + "' (known: " + String.join(", ", known) + ")");
      }
    }
    return every.stream().filter(b -> wanted.contains(b.name())).toList();
  }

  /**
   * Runs the benchmarks and writes the results into {@code output}.
   *
   * @return the sections, one per benchmark
   */
  public static List<Section> run(
      List<Bench> benches,
      boolean quick,
      Path output,
      Map<String, String> djlSettings,
      Map<String, String> rankingSettings,
      Map<String, String> scalingSettings,
      String command,
      PrintWriter out,
      PrintWriter err) {
    createDirectories(output);
    Machine machine = Machine.current();
    Instant started = Instant.now();
    long start = System.nanoTime();
    out.println("fpnas bench" + (quick ? " (quick)" : "") + " on " + machine.oneLine());
    out.flush();
    List<String> teams = benches.stream().flatMap(b -> b.teams().stream()).toList();
    Path workDir = createTempDirectory();
    List<Section> sections = new ArrayList<>();
    boolean keepWorkDir = false;
    try (BenchContext context =
        new BenchContext(
            quick, workDir, err, teams, djlSettings, rankingSettings, scalingSettings)) {
      int number = 0;
      for (Bench bench : benches) {
        number++;
        err.println("[" + number + "/" + benches.size() + "] " + bench.name());
        err.flush();
        long benchStart = System.nanoTime();
        Section section;
        try {
          section = bench.run(context);
        } catch (Exception | Error e) {
          keepWorkDir = true;
          err.println("benchmark " + bench.name() + " failed:");
          e.printStackTrace(err);
          section =
              bench.failed(
                  e.getMessage() == null ? e.toString() : e.getMessage().replace('\n', ' '));
        }
        sections.add(section);
        CsvWriter.write(output, section, machine, command);
        print(out, number, section, (System.nanoTime() - benchStart) / 1e9);
      }
    } finally {
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      Path md =
          MarkdownReport.write(
              output, MarkdownReport.markdown(command, machine, started, took, sections));
      out.println(
          "Wrote "
              + md
              + " and "
              + sections.size()
              + " CSV file(s) in "
              + MarkdownReport.minutes(took)
              + ".");
      out.flush();
      if (keepWorkDir) {
        err.println("scratch files (broker, logs) kept in " + workDir);
      } else {
        deleteRecursively(workDir);
      }
    }
    return sections;
  }

  private static void print(PrintWriter out, int number, Section section, double seconds) {
    out.println();
    out.printf(
        java.util.Locale.ROOT,
        "== %d. %s (%s, %d repetitions, %.0f s) ==%n",
        number,
        section.title(),
        section.name(),
        section.repetitions(),
        seconds);
    out.print(section.table().text());
    for (String f : section.findings()) {
      out.println("* " + f);
    }
    out.flush();
  }

  private static void createDirectories(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create the output directory " + dir + ": " + e.getMessage(), e);
    }
  }

  private static Path createTempDirectory() {
    try {
      return Files.createTempDirectory("fpnas-bench-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a scratch directory: " + e.getMessage(), e);
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // Scratch space in the temp directory; the system cleans it if this cannot.
    }
  }
}
