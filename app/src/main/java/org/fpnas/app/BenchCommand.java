package org.fpnas.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fpnas.bench.djl.SupernetRankingSettings;
import org.fpnas.bench.pipeline.ScalingSettings;
import org.fpnas.bench.report.Section;
import org.fpnas.bench.run.BenchRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fpnas bench}: the paper's headline claims and the pipeline's own cost, measured side by
 * side on this machine, as a table, {@code BENCHMARKS.md} and one CSV per benchmark.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Run the benchmarks: adaptive sampling vs PARSEC, coarse-to-fine, pipeline overhead, evaluator "
          + "scaling, control latency, aggregator and replay throughput, DJL evaluator; supernet ranking "
          + "only when named in --only (it trains 16 networks from scratch, about half an hour).",
      "Starts its own embedded Kafka broker and schema registry for the pipeline benchmarks. Prints the tables, "
          + "writes DIR/BENCHMARKS.md and DIR/<benchmark>.csv. The services' per-iteration logs are quiet; "
          + "-Dorg.slf4j.simpleLogger.log.org.fpnas=info brings them back."
    })
public final class BenchCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--quick",
      description = "Reduced sizes, small enough for CI (a couple of minutes on 2 cores).")
  boolean quick;

  @Option(
      names = "--output",
      required = true,
      paramLabel = "DIR",
      description = "Where BENCHMARKS.md and the CSV files go.")
  Path output;

  @Option(
      names = "--only",
      split = ",",
      paramLabel = "NAME",
      description =
          "Run only these benchmarks: "
              + "adaptive-sampling, coarse-to-fine, search-quality, async-scaling, pipeline-overhead, evaluator-scaling, control-latency, "
              + "aggregator-throughput, replay-throughput, djl-evaluator, and supernet-ranking (run only when named).")
  List<String> only = new ArrayList<>();

  @Option(
      names = "--djl-set",
      paramLabel = "NAME=VALUE",
      description =
          "A setting for the DJL evaluator of djl-evaluator and supernet-ranking (over the demo's there).")
  Map<String, String> djlSettings = new LinkedHashMap<>();

  @Option(
      names = "--ranking-set",
      paramLabel = "NAME=VALUE",
      description =
          "A setting of supernet-ranking: architectures (24), fromDistribution (8), seed (0), "
              + "iterations (the demo's 60), epochs (1), trainingImages (15000; 0: all), scoreBatches (10; 0: all), "
              + "stratified (true), reseeded (6), similar (8), groundTruth (a file to reuse; none).")
  Map<String, String> rankingSettings = new LinkedHashMap<>();

  @Option(
      names = "--scaling-set",
      paramLabel = "NAME=VALUE",
      description =
          "Which rows of evaluator-scaling run: classic (N of the classic group, default 1,2,4,8,16),"
              + " share (N of the share group, default 16,32), prefetch (the share workers' prefetches,"
              + " each a pool of its own, default 0), concurrent (true: the 4 concurrent searches run)."
              + " Lists are comma-separated; an empty one runs none.")
  Map<String, String> scalingSettings = new LinkedHashMap<>();

  @Override
  public void run() {
    var benches = BenchRunner.select(only);
    // A bad setting fails before anything runs.
    SupernetRankingSettings.parse(rankingSettings);
    ScalingSettings.parse(scalingSettings, quick);
    quiet("org.fpnas.controller");
    quiet("org.fpnas.evaluator");
    List<String> args = spec.commandLine().getParseResult().originalArgs();
    // Run as a subcommand of fpnas, the arguments start with "bench" itself.
    if (!args.isEmpty() && args.get(0).equals(spec.name())) {
      args = args.subList(1, args.size());
    }
    String command = "fpnas bench " + String.join(" ", args);
    List<Section> sections =
        BenchRunner.run(
            benches,
            quick,
            output,
            djlSettings,
            rankingSettings,
            scalingSettings,
            command.strip(),
            spec.commandLine().getOut(),
            spec.commandLine().getErr());
    List<String> failed = sections.stream().filter(Section::hasFailed).map(Section::name).toList();
    if (!failed.isEmpty()) {
      throw new IllegalStateException(
          "benchmark(s) failed: " + String.join(", ", failed) + " (see above)");
    }
  }

  /**
   * The services log every iteration at INFO; a benchmark runs thousands. Unless the user set a
   * level.
   */
  private static void quiet(String logger) {
    String key = "org.slf4j.simpleLogger.log." + logger;
    if (System.getProperty(key) == null) {
      System.setProperty(key, "warn");
    }
  }
}
