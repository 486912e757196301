package org.fpnas.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a benchmark runs with: quick or full sizes, a scratch directory, progress output, and the
 * embedded Kafka rig, started on first use (in-process benchmarks never start it).
 */
public final class BenchContext implements AutoCloseable {
  private final boolean quick;
  private final Path workDir;
  private final PrintWriter progress;
  private final List<String> teams;
  private final Map<String, String> djlSettings;
  private final Map<String, String> rankingSettings;
  private final Map<String, String> scalingSettings;
  private KafkaRig rig;

  /**
   * @param quick the reduced sizes for CI
   * @param workDir scratch space (broker data, Kafka Streams state)
   * @param progress where progress lines go (not the results)
   * @param teams every team whose topics the selected benchmarks use
   * @param djlSettings evaluator settings for the DJL benchmarks
   * @param rankingSettings settings of supernet-ranking (see SupernetRankingSettings)
   * @param scalingSettings settings of evaluator-scaling (see ScalingSettings)
   */
  public BenchContext(
      boolean quick,
      Path workDir,
      PrintWriter progress,
      List<String> teams,
      Map<String, String> djlSettings,
      Map<String, String> rankingSettings,
      Map<String, String> scalingSettings) {
    this.quick = quick;
    this.workDir = workDir;
    this.progress = progress;
    this.teams = List.copyOf(teams);
    this.djlSettings = Map.copyOf(djlSettings);
    this.rankingSettings = Map.copyOf(rankingSettings);
    this.scalingSettings = Map.copyOf(scalingSettings);
  }

  /** Whether this is the reduced run. */
  public boolean quick() {
    return quick;
  }

  /** {@code quick} in a quick run, else {@code full}. */
  public <T> T size(T quickValue, T fullValue) {
    return quick ? quickValue : fullValue;
  }

  /** Scratch space for this run. */
  public Path workDir() {
    return workDir;
  }

  /** Every team whose topics the selected benchmarks use. */
  public List<String> teams() {
    return teams;
  }

  /** Settings for the DJL evaluator given on the command line. */
  public Map<String, String> djlSettings() {
    return djlSettings;
  }

  /** Settings of supernet-ranking given on the command line. */
  public Map<String, String> rankingSettings() {
    return rankingSettings;
  }

  /** Settings of evaluator-scaling given on the command line. */
  public Map<String, String> scalingSettings() {
    return scalingSettings;
  }

  /** A progress line (to the error stream, so that standard output holds only results). */
  public void progress(String format, Object... args) {
    progress.println("  " + String.format(Locale.ROOT, format, args));
    progress.flush();
  }

  /** The embedded broker, registry and services; started on the first call. */
  public KafkaRig kafka() {
    if (rig == null) {
      progress("starting the embedded Kafka broker and schema registry ...");
      rig = KafkaRig.start(workDir.resolve("kafka"), teams, this::progress);
    }
    return rig;
  }

  @Override
  public void close() {
    if (rig != null) {
      rig.close();
      rig = null;
    }
  }
}
