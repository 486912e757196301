package org.fpnas.bench.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fpnas.bench.Bench;
import org.fpnas.bench.BenchContext;
import org.fpnas.bench.Section;
import org.fpnas.bench.Summary;
import org.fpnas.bench.report.Stats;
import org.fpnas.bench.report.Table;
import org.fpnas.schemas.Topics;
import org.fpnas.schemas.avro.SearchSpec;

/**
 * Benchmark 4: samples per second with 1 to 16 evaluators, at a fixed K and along an adaptive run.
 */
public final class EvaluatorScalingBench implements Bench {
  static final String TEAM = "bench-scaling";
  private static final int[] WORKERS = {1, 2, 4, 8, 16};

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
    return "The example search through Kafka with N = 1, 2, 4, 8 and 16 evaluator workers (threads of one "
        + "`EvaluatorService`, each a member of the evaluators' share group), the benchmark evaluator sleeping E ms per sample so that "
        + "2 cores are not the limit. Two searches per N: PARSEC with a fixed K of 32, and FP-NAS with K = 32 at the "
        + "start, shrinking with the entropy. The same seeds for every N, so every N evaluates the very same samples. "
        + "*Samples/s*: samples / wall (iteration-0 distribution to the final one, broker append times). *Ideal*: N × "
        + "the median samples/s of one evaluator. *Utilisation*: the evaluators' busy time / (N × wall). *Floor*: "
        + "`Σ_t ceil(K_t/N)·E`, the synchronous-iteration bound. *Busiest evaluator*: the mean over iterations of the most "
        + "samples one evaluator evaluated in an iteration, next to `ceil(K/N)`: samples are spread over the "
        + Topics.DEFAULT_SAMPLE_PARTITIONS
        + " partitions of the samples topic evenly (sample k of an iteration on partition (offset + k) mod P), a "
        + "share group gives each partition one member while members are fewer than partitions, and an evaluator "
        + "takes one sample at a time.";
  }

  /** One kind of search: its name, settings and length. */
  private record Mode(String name, Map<String, String> settings, int iterations) {}

  @Override
  public Section run(BenchContext context) {
    int repetitions = context.size(1, 2);
    long evalMs = context.size(20L, 50L);
    List<Mode> modes =
        List.of(
            new Mode(
                "PARSEC fixed K=32",
                Map.of("fixedK", "32", "learningRate", "0.1"),
                context.size(2, 10)),
            // A larger step than elsewhere, so that K falls from 32 to kMin within the run.
            new Mode(
                "FP-NAS K=32→8",
                Map.of("k0", "32", "kMin", "8", "kMax", "64", "learningRate", "0.2"),
                context.size(6, 30)));
    KafkaRig rig = context.kafka();
    rig.startController();
    Map<String, Map<Integer, List<RecordedRun>>> runs = new LinkedHashMap<>();
    for (int n : WORKERS) {
      context.progress("%s: %d evaluator(s), %d ms per evaluation", name(), n, evalMs);
      rig.evaluators(n, TEAM);
      rig.warmUp(TEAM);
      for (Mode mode : modes) {
        for (int r = 0; r < repetitions; r++) {
          Map<String, String> hp = new LinkedHashMap<>(mode.settings());
          hp.put("seed", Integer.toString(r));
          hp.put("maxIterations", Integer.toString(mode.iterations()));
          String id =
              "scaling-"
                  + (mode.settings().containsKey("fixedK") ? "fixed" : "adaptive")
                  + "-n"
                  + n
                  + "-"
                  + r;
          SearchSpec spec = ExampleSearch.spec(TEAM, id, hp, evalMs);
          rig.publish(spec);
          rig.awaitDone(spec, Duration.ofMinutes(10));
          runs.computeIfAbsent(mode.name(), k -> new LinkedHashMap<>())
              .computeIfAbsent(n, k -> new ArrayList<>())
              .add(RecordedRun.read(rig, TEAM, spec.getSearchId()));
        }
      }
    }
    Table table =
        new Table()
            .column("search")
            .column("N")
            .column("samples")
            .summaryColumn("wall (s)", 2)
            .summaryColumn("samples/s", 1)
            .column("ideal samples/s", 1)
            .summaryColumn("efficiency", 2)
            .summaryColumn("utilisation", 2)
            .column("floor (s)", 2)
            .column("busiest evaluator", 2)
            .column("ceil(K/N)", 2);
    List<String> findings = new ArrayList<>();
    for (Mode mode : modes) {
      Map<Integer, List<RecordedRun>> byN = runs.get(mode.name());
      double single =
          Stats.median(byN.get(1).stream().mapToDouble(EvaluatorScalingBench::rate).toArray());
      for (int n : WORKERS) {
        List<RecordedRun> rs = byN.get(n);
        RecordedRun first = rs.get(0);
        int[] ks = first.sampleCounts();
        double ideal = n * single;
        double[] rates = rs.stream().mapToDouble(EvaluatorScalingBench::rate).toArray();
        double[] efficiency = rs.stream().mapToDouble(run -> rate(run) / ideal).toArray();
        double[] utilisation =
            rs.stream().mapToDouble(run -> run.busyMs() / (n * run.wallMs())).toArray();
        double busiest =
            Stats.mean(
                rs.stream()
                    .flatMapToInt(run -> java.util.Arrays.stream(run.mostSamplesOnOneEvaluator()))
                    .asDoubleStream()
                    .toArray());
        double fair =
            Stats.mean(java.util.Arrays.stream(ks).mapToDouble(k -> (k + n - 1) / n).toArray());
        table.row(
            mode.name(),
            n,
            PipelineTimeModel.samples(ks),
            Summary.of(rs.stream().mapToDouble(run -> run.wallMs() / 1000).toArray()),
            Summary.of(rates),
            ideal,
            Summary.of(efficiency),
            Summary.of(utilisation),
            PipelineTimeModel.wallMs(ks, n, evalMs) / 1000,
            busiest,
            fair);
        if (n == WORKERS[WORKERS.length - 1]) {
          findings.add(
              String.format(
                  Locale.ROOT,
                  "%s with %d evaluators: %.0f samples/s, %.0f%% of the ideal %.0f "
                      + "(N × one evaluator); utilisation %.0f%%. K averaged %.1f per iteration, and the busiest evaluator took "
                      + "%.2f samples per iteration where an even spread would give ceil(K/N) = %.2f: iterations wait for it.",
                  mode.name(),
                  n,
                  Stats.median(rates),
                  100 * Stats.median(efficiency),
                  ideal,
                  100 * Stats.median(utilisation),
                  Stats.mean(java.util.Arrays.stream(ks).asDoubleStream().toArray()),
                  busiest,
                  fair));
        }
      }
    }
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(
        "search", ExampleSearch.SPACE + " with " + ExampleSearch.LANDSCAPE + ", seed = repetition");
    for (Mode mode : modes) {
      settings.put(
          mode.name(),
          new java.util.TreeMap<>(mode.settings()) + ", maxIterations=" + mode.iterations());
    }
    settings.put("evaluation", evalMs + " ms (benchmark evaluator, simulatedMs; sleeping)");
    settings.put(
        "N", java.util.Arrays.toString(WORKERS) + " worker threads of one EvaluatorService");
    settings.put(
        "samples topic",
        Topics.DEFAULT_SAMPLE_PARTITIONS + " partitions, samples placed evenly (SamplePlacement)");
    return new Section(name(), title(), method(), settings, repetitions, table, findings);
  }

  private static double rate(RecordedRun run) {
    return PipelineTimeModel.samples(run.sampleCounts()) / (run.wallMs() / 1000);
  }
}
