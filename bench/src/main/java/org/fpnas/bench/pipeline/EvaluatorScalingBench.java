package org.fpnas.bench.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.fpnas.bench.Bench;
import org.fpnas.bench.BenchContext;
import org.fpnas.bench.ExampleSearch;
import org.fpnas.bench.KafkaRig;
import org.fpnas.bench.report.Section;
import org.fpnas.bench.report.Stats;
import org.fpnas.bench.report.Summary;
import org.fpnas.bench.report.Table;
import org.fpnas.schemas.Topics;
import org.fpnas.schemas.avro.EvaluationResult;
import org.fpnas.schemas.avro.SearchSpec;

/**
 * Benchmark 4: samples per second with 1 to 32 evaluators, at a fixed K, along an adaptive run and
 * along the same run in the asynchronous schedule, at two evaluation times; and 4 concurrent
 * searches on 16 evaluators.
 */
public final class EvaluatorScalingBench implements Bench {
  static final String TEAM = "bench-scaling";
  private static final int CONCURRENT = 4;
  private static final int CONCURRENT_EVALUATORS = 16;
  private static final String CLASSIC = "classic group";
  private static final String SHARE = "share group";
  private static final String FPNAS = "FP-NAS K=32→8";
  private static final String ASYNC = FPNAS + ", asynchronous";

  @Override
  public String name() {
    return "evaluator-scaling";
  }

  @Override
  public String title() {
    return "Evaluator scaling";
  }

  @Override
  public List<String> teams() {
    return List.of(TEAM);
  }

  @Override
  public String method() {
    return "The example search through Kafka with N evaluator workers (threads of one `EvaluatorService`, each a "
        + "member of the evaluators' classic consumer group, or of their share group) on the samples topic's "
        + Topics.DEFAULT_SAMPLE_PARTITIONS
        + " partitions, the benchmark evaluator sleeping E ms per sample so that 2 cores are not the limit. Three "
        + "searches per N and E: PARSEC with a fixed K of 32; FP-NAS with K = 32 at the start, shrinking with the "
        + "entropy; and the same FP-NAS in the asynchronous schedule (`schedule=asynchronous`: the aggregator keeps "
        + "the larger of the update batch B (the current K) and the pool's window (2 × the evaluators' group "
        + "members) in flight, draws one sample from the distribution of the moment per result, and updates every "
        + "B results), with as many updates as the synchronous one has iterations. The same seeds for every N, so "
        + "every N evaluates the very same samples in the synchronous searches (the asynchronous search's draws "
        + "depend on the order its results come in). Then "
        + CONCURRENT
        + " PARSEC searches at once on "
        + CONCURRENT_EVALUATORS
        + " evaluators. *Samples/s*: samples / wall (iteration-0 distribution to the final one, broker append "
        + "times). *Ideal*: N × the median samples/s of one classic-group evaluator at that E (for both groups). *Utilisation*: the evaluators' busy "
        + "time / (N × wall). *Floor*: `Σ_t ceil(K_t/N)·E`, the synchronous-iteration bound. *Bound*: the floor plus "
        + "the iterations × the control latency measured in the same run (median, per iteration, from an iteration's "
        + "last evaluation finished to the next one's first evaluation started, as the evaluators see it). *Busiest "
        + "evaluator*: the mean over iterations of the most samples one evaluator evaluated in an iteration, next to "
        + "`ceil(K/N)`. *Evaluators used*: how many evaluators evaluated at least one sample. *Unused results*: "
        + "results appended by the end of the wall that no update used. *Results after the end*: results appended "
        + "after the final distribution, of samples the asynchronous schedule abandons when the search ends (the "
        + "evaluators still evaluate them); the benchmark waits for them before the next search starts. *Idle gap "
        + "p99*: per evaluator, the time from the end of one of its evaluations to the start of its next "
        + "(the results' finishedAtMs − durationMs, the evaluators' clock), the 99th percentile over every "
        + "evaluator's gaps in the search; the time before an evaluator's first evaluation and after its last is no "
        + "gap. *Busiest evaluator / mean*: the samples of the evaluator that evaluated most over the mean per "
        + "evaluator (samples / N), over the whole search. Asynchronous rows: *samples* are the results the "
        + "evaluators produced within the wall (the unused ones included, those after the end not), the "
        + "utilisation counts evaluation time within the wall only, and the floor, the bound and the per-iteration "
        + "busiest evaluator are synchronous-iteration figures, not given. Idle gaps and the busiest evaluator / "
        + "mean count the results within the wall. A short untimed "
        + "search warms each pool up first; a pool starts where the previous one, of either group, left off "
        + "(`PoolHandOff`, evaluator/README.md), so no run re-evaluates an earlier run's samples.";
  }

  /** A kind of evaluator pool: its group, and for the share group the workers' prefetch. */
  private record Pool(String label, boolean share, int prefetch, int[] workers) {}

  private static int[] ints(List<Integer> values) {
    return values.stream().mapToInt(Integer::intValue).toArray();
  }

  /** One kind of search: its name, settings and length (iterations, or updates). */
  private record Mode(String name, Map<String, String> settings, int iterations) {
    boolean asynchronous() {
      return "asynchronous".equals(settings.get("schedule"));
    }
  }

  @Override
  public Section run(BenchContext context) {
    // One run per cell: the full grid already takes about 15 minutes.
    int repetitions = 1;
    ScalingSettings rows = ScalingSettings.parse(context.scalingSettings(), context.quick());
    // The classic group cannot use more evaluators than partitions; the share group can. One
    // share-group evaluator costs minutes per run here (about 0.5 s per sample at 50 ms), so the
    // share group's ideal is the classic group's single evaluator: what the pool could do.
    List<Pool> pools = new ArrayList<>();
    if (!rows.classic().isEmpty()) {
      pools.add(new Pool(CLASSIC, false, 0, ints(rows.classic())));
    }
    if (!rows.share().isEmpty()) {
      for (int p : rows.prefetch()) {
        pools.add(
            new Pool(p == 0 ? SHARE : SHARE + ", prefetch " + p, true, p, ints(rows.share())));
      }
    }
    long[] evalTimes = context.size(new long[] {20L}, new long[] {50L, 200L});
    // The default step: K falls from 32 to kMin within the run.
    Map<String, String> fpnas = Map.of("k0", "32", "kMin", "8", "kMax", "64");
    Map<String, String> async = new LinkedHashMap<>(fpnas);
    async.put("schedule", "asynchronous");
    List<Mode> modes =
        List.of(
            new Mode(
                "PARSEC fixed K=32",
                Map.of("fixedK", "32", "learningRate", "0.1"),
                context.size(2, 10)),
            new Mode(FPNAS, fpnas, context.size(6, 30)),
            // The same search, as many updates, in the asynchronous schedule.
            new Mode(ASYNC, Map.copyOf(async), context.size(6, 30)));
    KafkaRig rig = context.kafka();
    rig.startController();
    Table table =
        new Table()
            .column("search")
            .column("E (ms)")
            .column("N")
            .column("samples")
            .summaryColumn("wall (s)", 2)
            .summaryColumn("samples/s", 1)
            .column("ideal samples/s", 1)
            .summaryColumn("efficiency", 2)
            .summaryColumn("utilisation", 2)
            .column("floor (s)", 2)
            .column("bound (s)", 2)
            .summaryColumn("wall / bound", 2)
            .column("busiest evaluator", 2)
            .column("ceil(K/N)", 2)
            .column("evaluators used")
            .column("unused results")
            .column("results after the end")
            .column("idle gap p99 (ms)", 0)
            .column("busiest evaluator / mean", 2);
    List<String> findings = new ArrayList<>();
    int search = 0;
    for (long evalMs : evalTimes) {
      double single = 0;
      Map<String, Double> singles = new LinkedHashMap<>();
      for (Pool pool : pools) {
        boolean share = pool.share();
        int[] workers = pool.workers();
        Map<String, Map<Integer, List<RecordedRun>>> runs = new LinkedHashMap<>();
        for (int n : workers) {
          context.progress(
              "%s: %d evaluator(s) (%s), %d ms per evaluation", name(), n, pool.label(), evalMs);
          rig.evaluators(n, TEAM, Map.of(), share, pool.prefetch());
          rig.warmUp(TEAM);
          for (Mode mode : modes) {
            for (int r = 0; r < repetitions; r++) {
              SearchSpec spec =
                  spec(
                      mode,
                      r,
                      "e"
                          + evalMs
                          + (share ? "-share-p" + pool.prefetch() : "-classic")
                          + "-n"
                          + n
                          + "-"
                          + r,
                      evalMs);
              rig.publish(spec);
              rig.awaitDone(spec, Duration.ofMinutes(10));
              RecordedRun run = settled(rig, spec);
              if (run.unansweredSamples() > 0) {
                context.progress(
                    "%s: %s has %d sample(s) without a result a minute after its end",
                    name(), spec.getSearchId(), run.unansweredSamples());
              }
              runs.computeIfAbsent(mode.name(), k -> new LinkedHashMap<>())
                  .computeIfAbsent(n, k -> new ArrayList<>())
                  .add(run);
            }
          }
        }
        for (Mode mode : modes) {
          Map<Integer, List<RecordedRun>> byN = runs.get(mode.name());
          if (!share && byN.containsKey(1)) {
            singles.put(
                mode.name(),
                Stats.median(
                    byN.get(1).stream().mapToDouble(EvaluatorScalingBench::rate).toArray()));
          }
          // Without a single classic evaluator in this run there is no ideal to compare with.
          double one = singles.getOrDefault(mode.name(), Double.NaN);
          if (single == 0) {
            single = one; // the classic fixed-K search's, for the concurrent searches' ideal
          }
          String label = mode.name() + ", " + pool.label();
          for (int n : workers) {
            Row row = new Row(byN.get(n), n, evalMs, one);
            table.row(row.cells(label, evalMs));
            if (n >= 16 && !Double.isNaN(one)) {
              findings.add(
                  mode.asynchronous()
                      ? row.asyncFinding(
                          label,
                          evalMs,
                          new Row(
                              runs.get(FPNAS).get(n),
                              n,
                              evalMs,
                              singles.getOrDefault(FPNAS, Double.NaN)))
                      : row.finding(label, evalMs));
            }
          }
        }
      }
      if (!rows.concurrent()) {
        continue;
      }
      context.progress(
          "%s: %d concurrent searches on %d evaluators, %d ms per evaluation",
          name(), CONCURRENT, CONCURRENT_EVALUATORS, evalMs);
      rig.evaluators(CONCURRENT_EVALUATORS, TEAM, Map.of(), false);
      List<SearchSpec> specs = new ArrayList<>();
      for (int c = 0; c < CONCURRENT; c++) {
        specs.add(spec(modes.get(0), c, "e" + evalMs + "-concurrent-" + (search++), evalMs));
      }
      specs.forEach(rig::publish);
      specs.forEach(s -> rig.awaitDone(s, Duration.ofMinutes(10)));
      List<RecordedRun> together = specs.stream().map(s -> settled(rig, s)).toList();
      Concurrent c = Concurrent.of(together, CONCURRENT_EVALUATORS);
      double ideal = CONCURRENT_EVALUATORS * single;
      boolean known = single > 0 && !Double.isNaN(single);
      table.row(
          CONCURRENT + " × " + modes.get(0).name() + " at once, " + CLASSIC,
          evalMs,
          CONCURRENT_EVALUATORS,
          c.samples,
          Summary.of(new double[] {c.wallMs / 1000}),
          Summary.of(new double[] {c.rate()}),
          known ? ideal : "-",
          known ? Summary.of(new double[] {c.rate() / ideal}) : "-",
          Summary.of(new double[] {c.utilisation()}),
          "-",
          "-",
          "-",
          "-",
          "-",
          c.evaluatorsUsed,
          c.unused,
          c.afterEnd,
          c.p99GapMs,
          c.busiestOverMean);
      findings.add(
          String.format(
              Locale.ROOT,
              "%d concurrent searches on %d evaluators at E = %d ms: %.0f samples/s, %.0f%% of the ideal, utilisation "
                  + "%.0f%%, %d of %d evaluators used.",
              CONCURRENT,
              CONCURRENT_EVALUATORS,
              evalMs,
              c.rate(),
              100 * c.rate() / ideal,
              100 * c.utilisation(),
              c.evaluatorsUsed,
              CONCURRENT_EVALUATORS));
    }
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(
        "search", ExampleSearch.SPACE + " with " + ExampleSearch.LANDSCAPE + ", seed = repetition");
    for (Mode mode : modes) {
      settings.put(
          mode.name(), new TreeMap<>(mode.settings()) + ", maxIterations=" + mode.iterations());
    }
    settings.put(
        "evaluation",
        Arrays.toString(evalTimes) + " ms (benchmark evaluator, simulatedMs; sleeping)");
    for (Pool pool : pools) {
      settings.put(
          "N, " + pool.label(),
          Arrays.toString(pool.workers()) + " worker threads of one EvaluatorService");
    }
    settings.put(
        "samples topic",
        Topics.DEFAULT_SAMPLE_PARTITIONS
            + " partitions; an iteration's samples spread evenly over them (SamplePlacement)");
    settings.put(
        "controller",
        "pool pacing on (the default); asynchronous: max(B, 2 × the evaluators' group members) samples in "
            + "flight, the members as the controller's EvaluatorPoolSize counts them");
    return new Section(name(), title(), method(), settings, repetitions, table, findings);
  }

  private static SearchSpec spec(Mode mode, int seed, String suffix, long evalMs) {
    Map<String, String> hp = new LinkedHashMap<>(mode.settings());
    hp.put("seed", Integer.toString(seed));
    hp.put("maxIterations", Integer.toString(mode.iterations()));
    String kind =
        mode.asynchronous()
            ? "async"
            : mode.settings().containsKey("fixedK") ? "fixed" : "adaptive";
    return ExampleSearch.spec(TEAM, "scaling-" + kind + "-" + suffix, hp, evalMs);
  }

  /**
   * A finished search as recorded once the evaluators answered every sample it published (a minute
   * at most), re-read until two reads half a second apart agree for an asynchronous search.
   */
  private static RecordedRun settled(KafkaRig rig, SearchSpec spec) {
    return RecordedRun.readSettled(
        rig, TEAM, spec.getSearchId(), Duration.ofMinutes(1), Duration.ofMillis(500));
  }

  /** One mode at one N: its runs and what the table shows of them. */
  private record Row(List<RecordedRun> runs, int n, long evalMs, double single) {
    Object[] cells(String mode, long e) {
      RecordedRun first = runs.get(0);
      if (first.asynchronous()) {
        return asyncCells(mode, e);
      }
      int[] ks = first.sampleCounts();
      double ideal = n * single;
      return new Object[] {
        mode,
        e,
        n,
        PipelineTimeModel.samples(ks),
        Summary.of(runs.stream().mapToDouble(run -> run.wallMs() / 1000).toArray()),
        Summary.of(rates()),
        Double.isNaN(ideal) ? "-" : ideal,
        Double.isNaN(ideal)
            ? "-"
            : Summary.of(Arrays.stream(rates()).map(r -> r / ideal).toArray()),
        Summary.of(utilisations()),
        PipelineTimeModel.wallMs(ks, n, evalMs) / 1000,
        boundMs(first) / 1000,
        Summary.of(runs.stream().mapToDouble(run -> run.wallMs() / boundMs(run)).toArray()),
        busiest(),
        fair(ks),
        runs.stream().mapToInt(EvaluatorScalingBench::evaluatorsUsed).min().orElse(0),
        first.unusedResultsWithinWall(),
        first.resultsAfterEnd(),
        p99GapMs(),
        busiestOverMean()
      };
    }

    /** The asynchronous schedule has no iterations to bound or to share out: "-" there. */
    private Object[] asyncCells(String mode, long e) {
      RecordedRun first = runs.get(0);
      double ideal = n * single;
      return new Object[] {
        mode,
        e,
        n,
        first.resultsWithinWall().size(),
        Summary.of(runs.stream().mapToDouble(run -> run.wallMs() / 1000).toArray()),
        Summary.of(rates()),
        Double.isNaN(ideal) ? "-" : ideal,
        Double.isNaN(ideal)
            ? "-"
            : Summary.of(Arrays.stream(rates()).map(r -> r / ideal).toArray()),
        Summary.of(utilisations()),
        "-",
        "-",
        "-",
        "-",
        "-",
        runs.stream().mapToInt(EvaluatorScalingBench::evaluatorsUsed).min().orElse(0),
        first.unusedResultsWithinWall(),
        first.resultsAfterEnd(),
        p99GapMs(),
        busiestOverMean()
      };
    }

    /** The asynchronous search next to the synchronous one at the same N and E ({@code sync}). */
    String asyncFinding(String mode, long e, Row sync) {
      RecordedRun first = runs.get(0);
      return String.format(
          Locale.ROOT,
          "%s with %d evaluators at E = %d ms: %.0f samples/s (%d results in %.2f s, %d of them used by no "
              + "update, and %d more after the end), %.0f%% of the ideal (N × one evaluator), utilisation %.0f%%, "
              + "p99 idle gap %.0f ms, busiest evaluator %.2fx the mean; the synchronous search there: %.0f "
              + "samples/s in %.2f s, utilisation %.0f%%, p99 idle gap %.0f ms, busiest evaluator %.2fx the mean.",
          mode,
          n,
          e,
          Stats.median(rates()),
          first.resultsWithinWall().size(),
          first.wallMs() / 1000,
          first.unusedResultsWithinWall(),
          first.resultsAfterEnd(),
          100 * Stats.median(rates()) / (n * single),
          100 * Stats.median(utilisations()),
          p99GapMs(),
          busiestOverMean(),
          Stats.median(sync.rates()),
          sync.runs.get(0).wallMs() / 1000,
          100 * Stats.median(sync.utilisations()),
          sync.p99GapMs(),
          sync.busiestOverMean());
    }

    /**
     * Busy time over N × wall: for the asynchronous schedule only the evaluation time within the
     * wall, as its abandoned samples are evaluated past the end.
     */
    private double[] utilisations() {
      return runs.stream()
          .mapToDouble(
              run ->
                  (run.asynchronous() ? run.busyWithinWallMs() : run.busyMs()) / (n * run.wallMs()))
          .toArray();
    }

    private double p99GapMs() {
      return Stats.median(
          runs.stream()
              .mapToDouble(run -> EvaluatorLoad.p99GapMs(evaluations(run.resultsWithinWall())))
              .toArray());
    }

    private double busiestOverMean() {
      return Stats.median(
          runs.stream()
              .mapToDouble(
                  run -> EvaluatorLoad.busiestOverMean(evaluations(run.resultsWithinWall()), n))
              .toArray());
    }

    String finding(String mode, long e) {
      int[] ks = runs.get(0).sampleCounts();
      double efficiency = Stats.median(rates()) / (n * single);
      return String.format(
          Locale.ROOT,
          "%s with %d evaluators at E = %d ms: %.0f samples/s, %.0f%% of the ideal (N × one evaluator), wall "
              + "%.2fx the bound (floor + iterations × %.0f ms of control); the busiest evaluator took %.2f samples per "
              + "iteration where ceil(K/N) = %.2f; %d of %d evaluators used.",
          mode,
          n,
          e,
          Stats.median(rates()),
          100 * efficiency,
          Stats.median(runs.stream().mapToDouble(run -> run.wallMs() / boundMs(run)).toArray()),
          controlMs(runs.get(0)),
          busiest(),
          fair(ks),
          runs.stream().mapToInt(EvaluatorScalingBench::evaluatorsUsed).min().orElse(0),
          n);
    }

    private double[] rates() {
      return runs.stream().mapToDouble(EvaluatorScalingBench::rate).toArray();
    }

    private double busiest() {
      return Stats.mean(
          runs.stream()
              .flatMapToInt(run -> Arrays.stream(run.mostSamplesOnOneEvaluator()))
              .asDoubleStream()
              .toArray());
    }

    private double fair(int[] ks) {
      return Stats.mean(Arrays.stream(ks).mapToDouble(k -> (k + n - 1) / n).toArray());
    }

    private double boundMs(RecordedRun run) {
      return PipelineTimeModel.wallMs(run.sampleCounts(), n, evalMs, controlMs(run));
    }
  }

  /** The median control latency of a run, as the evaluators see it (ms per iteration). */
  static double controlMs(RecordedRun run) {
    double[] hops =
        run.controlHops().stream().mapToDouble(RecordedRun.ControlHops::seenByEvaluators).toArray();
    return hops.length == 0 ? 0 : Math.max(0, Stats.median(hops));
  }

  static int evaluatorsUsed(RecordedRun run) {
    Set<String> ids = new HashSet<>();
    for (EvaluationResult r : run.results()) {
      ids.add(r.getEvaluatorId());
    }
    return ids.size();
  }

  /**
   * Several searches run at once: the pool's view of them together (the idle gaps and the busiest
   * evaluator over all of their evaluations).
   */
  private record Concurrent(
      long samples,
      double wallMs,
      long busyMs,
      int evaluatorsUsed,
      int n,
      long unused,
      long afterEnd,
      double p99GapMs,
      double busiestOverMean) {
    static Concurrent of(List<RecordedRun> runs, int n) {
      long samples = 0;
      long busy = 0;
      long unused = 0;
      long afterEnd = 0;
      double start = Double.MAX_VALUE;
      double end = 0;
      Set<String> ids = new HashSet<>();
      List<EvaluatorLoad.Evaluation> evaluations = new ArrayList<>();
      for (RecordedRun run : runs) {
        samples += PipelineTimeModel.samples(run.sampleCounts());
        busy += run.busyMs();
        unused += run.unusedResultsWithinWall();
        afterEnd += run.resultsAfterEnd();
        start = Math.min(start, run.startMs());
        end = Math.max(end, run.startMs() + run.wallMs());
        run.results().forEach(r -> ids.add(r.getEvaluatorId()));
        evaluations.addAll(evaluations(run.resultsWithinWall()));
      }
      return new Concurrent(
          samples,
          end - start,
          busy,
          ids.size(),
          n,
          unused,
          afterEnd,
          EvaluatorLoad.p99GapMs(evaluations),
          EvaluatorLoad.busiestOverMean(evaluations, n));
    }

    double rate() {
      return samples / (wallMs / 1000);
    }

    double utilisation() {
      return busyMs / (n * wallMs);
    }
  }

  /**
   * Samples per second of wall: Σ K over the iterations, or for the asynchronous schedule the
   * results produced within the wall.
   */
  private static double rate(RecordedRun run) {
    long samples =
        run.asynchronous()
            ? run.resultsWithinWall().size()
            : PipelineTimeModel.samples(run.sampleCounts());
    return samples / (run.wallMs() / 1000);
  }

  private static List<EvaluatorLoad.Evaluation> evaluations(List<EvaluationResult> results) {
    return results.stream().map(EvaluatorLoad.Evaluation::of).toList();
  }
}
