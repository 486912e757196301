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
 * Benchmark 4: samples per second with 1 to 32 evaluators, at a fixed K and along an adaptive run,
 * at two evaluation times; and 4 concurrent searches on 16 evaluators.
 */
public final class EvaluatorScalingBench implements Bench {
  static final String TEAM = "bench-scaling";
  private static final int CONCURRENT = 4;
  private static final int CONCURRENT_EVALUATORS = 16;
  private static final String CLASSIC = "classic group";
  private static final String SHARE = "share group";

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
        + " partitions, the benchmark evaluator sleeping E ms per sample so that 2 cores are not the limit. Two "
        + "searches per N and E: PARSEC with a fixed K of 32, and FP-NAS with K = 32 at the start, shrinking with the "
        + "entropy; the same seeds for every N, so every N evaluates the very same samples. Then "
        + CONCURRENT
        + " PARSEC searches at once on "
        + CONCURRENT_EVALUATORS
        + " evaluators. *Samples/s*: samples / wall (iteration-0 distribution to the final one, broker append "
        + "times). *Ideal*: N × the median samples/s of one classic-group evaluator at that E (for both groups). *Utilisation*: the evaluators' busy "
        + "time / (N × wall). *Floor*: `Σ_t ceil(K_t/N)·E`, the synchronous-iteration bound. *Bound*: the floor plus "
        + "the iterations × the control latency measured in the same run (median, per iteration, from an iteration's "
        + "last evaluation finished to the next one's first evaluation started, as the evaluators see it). *Busiest "
        + "evaluator*: the mean over iterations of the most samples one evaluator evaluated in an iteration, next to "
        + "`ceil(K/N)`. *Evaluators used*: how many evaluators evaluated at least one sample. A short untimed "
        + "search warms each pool up first; a pool starts where the previous one, of either group, left off "
        + "(`PoolHandOff`, evaluator/README.md), so no run re-evaluates an earlier run's samples.";
  }

  /** A kind of evaluator pool: its group, and for the share group the workers' prefetch. */
  private record Pool(String label, boolean share, int prefetch, int[] workers) {}

  private static int[] ints(List<Integer> values) {
    return values.stream().mapToInt(Integer::intValue).toArray();
  }

  /** One kind of search: its name, settings and length. */
  private record Mode(String name, Map<String, String> settings, int iterations) {}

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
    List<Mode> modes =
        List.of(
            new Mode(
                "PARSEC fixed K=32",
                Map.of("fixedK", "32", "learningRate", "0.1"),
                context.size(2, 10)),
            // The default step: K falls from 32 to kMin within the run.
            new Mode(
                "FP-NAS K=32→8",
                Map.of("k0", "32", "kMin", "8", "kMax", "64"),
                context.size(6, 30)));
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
            .column("evaluators used");
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
              runs.computeIfAbsent(mode.name(), k -> new LinkedHashMap<>())
                  .computeIfAbsent(n, k -> new ArrayList<>())
                  .add(RecordedRun.read(rig, TEAM, spec.getSearchId()));
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
              findings.add(row.finding(label, evalMs));
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
      List<RecordedRun> together =
          specs.stream().map(s -> RecordedRun.read(rig, TEAM, s.getSearchId())).toList();
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
          c.evaluatorsUsed);
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
    settings.put("controller", "pool pacing on (the default)");
    return new Section(name(), title(), method(), settings, repetitions, table, findings);
  }

  private static SearchSpec spec(Mode mode, int seed, String suffix, long evalMs) {
    Map<String, String> hp = new LinkedHashMap<>(mode.settings());
    hp.put("seed", Integer.toString(seed));
    hp.put("maxIterations", Integer.toString(mode.iterations()));
    String id =
        "scaling-" + (mode.settings().containsKey("fixedK") ? "fixed" : "adaptive") + "-" + suffix;
    return ExampleSearch.spec(TEAM, id, hp, evalMs);
  }

  /** One mode at one N: its runs and what the table shows of them. */
  private record Row(List<RecordedRun> runs, int n, long evalMs, double single) {
    Object[] cells(String mode, long e) {
      RecordedRun first = runs.get(0);
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
        Summary.of(runs.stream().mapToDouble(run -> run.busyMs() / (n * run.wallMs())).toArray()),
        PipelineTimeModel.wallMs(ks, n, evalMs) / 1000,
        boundMs(first) / 1000,
        Summary.of(runs.stream().mapToDouble(run -> run.wallMs() / boundMs(run)).toArray()),
        busiest(),
        fair(ks),
        runs.stream().mapToInt(EvaluatorScalingBench::evaluatorsUsed).min().orElse(0)
      };
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

  /** Several searches run at once: the pool's view of them together. */
  private record Concurrent(long samples, double wallMs, long busyMs, int evaluatorsUsed, int n) {
    static Concurrent of(List<RecordedRun> runs, int n) {
      long samples = 0;
      long busy = 0;
      double start = Double.MAX_VALUE;
      double end = 0;
      Set<String> ids = new HashSet<>();
      for (RecordedRun run : runs) {
        samples += PipelineTimeModel.samples(run.sampleCounts());
        busy += run.busyMs();
        start = Math.min(start, run.startMs());
        end = Math.max(end, run.startMs() + run.wallMs());
        run.results().forEach(r -> ids.add(r.getEvaluatorId()));
      }
      return new Concurrent(samples, end - start, busy, ids.size(), n);
    }

    double rate() {
      return samples / (wallMs / 1000);
    }

    double utilisation() {
      return busyMs / (n * wallMs);
    }
  }

  private static double rate(RecordedRun run) {
    return PipelineTimeModel.samples(run.sampleCounts()) / (run.wallMs() / 1000);
  }
}
