package org.fpnas.bench.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fpnas.bench.Bench;
import org.fpnas.bench.BenchContext;
import org.fpnas.bench.ExampleSearch;
import org.fpnas.bench.KafkaRig;
import org.fpnas.bench.report.Section;
import org.fpnas.bench.report.Summary;
import org.fpnas.bench.report.Table;
import org.fpnas.client.wire.WireConversions;
import org.fpnas.core.SearchResult;
import org.fpnas.schemas.avro.SearchSpec;

/**
 * Benchmark 3: the same search in the in-process loop and through Kafka, at a fixed simulated
 * evaluation time.
 */
public final class PipelineOverheadBench implements Bench {
  static final String TEAM = "bench-overhead";
  private static final Map<String, String> SETTINGS =
      Map.of("k0", "16", "kMin", "4", "kMax", "64", "learningRate", "0.1");

  @Override
  public String name() {
    return "pipeline-overhead";
  }

  @Override
  public String title() {
    return "Pipeline overhead";
  }

  @Override
  public List<String> teams() {
    return List.of(TEAM);
  }

  @Override
  public String method() {
    return "One search of the shipped example space and landscape, run twice: by the in-process loop with a scorer that "
        + "sleeps E ms per sample and then scores on the landscape (one evaluation at a time), and through Kafka on the "
        + "embedded broker (child process) with the controller and one benchmark evaluator sleeping the same E ms. "
        + "In-process wall: `System.nanoTime` around the loop. Pipeline wall: from the iteration-0 distribution to the "
        + "final one, by the broker's append times. The evaluators' busy time (the sum of the results' durations) is "
        + "the floor neither can beat. *Overhead per iteration* = (pipeline wall − busy time) / iterations. The final "
        + "distributions of both runs are compared bit for bit. A short untimed search warms the pipeline up first "
        + "(as in every Kafka benchmark).";
  }

  /** One simulated evaluation time, with its search length. */
  private record Case(long evalMs, int iterations) {}

  @Override
  public Section run(BenchContext context) {
    int repetitions = context.size(1, 3);
    List<Case> cases =
        List.of(new Case(20, context.size(4, 20)), new Case(200, context.size(2, 6)));
    KafkaRig rig = context.kafka();
    rig.startController();
    rig.evaluators(1, TEAM);
    rig.warmUp(TEAM);
    Table table =
        new Table()
            .column("eval (ms)")
            .column("iterations")
            .column("samples")
            .summaryColumn("in-process wall (s)", 2)
            .summaryColumn("pipeline wall (s)", 2)
            .summaryColumn("pipeline / in-process", 3)
            .summaryColumn("busy floor (s)", 2)
            .summaryColumn("overhead per iteration (ms)", 0)
            .column("identical");
    List<String> findings = new ArrayList<>();
    for (Case c : cases) {
      context.progress(
          "%s: %d ms per evaluation, %d iterations, %d repetition(s)",
          name(), c.evalMs(), c.iterations(), repetitions);
      List<Double> inProcess = new ArrayList<>();
      List<Double> pipeline = new ArrayList<>();
      List<Double> ratio = new ArrayList<>();
      List<Double> busy = new ArrayList<>();
      List<Double> overhead = new ArrayList<>();
      long samples = 0;
      int identical = 0;
      for (int r = 0; r < repetitions; r++) {
        Map<String, String> hp = new LinkedHashMap<>(SETTINGS);
        hp.put("seed", Integer.toString(r));
        hp.put("maxIterations", Integer.toString(c.iterations()));
        SearchSpec spec =
            ExampleSearch.spec(TEAM, "overhead-" + c.evalMs() + "ms-" + r, hp, c.evalMs());
        long start = System.nanoTime();
        SearchResult reference = ExampleSearch.inProcess(spec, c.evalMs());
        double inProcessMs = (System.nanoTime() - start) / 1e6;
        rig.publish(spec);
        rig.awaitDone(spec, Duration.ofMinutes(10));
        RecordedRun run = RecordedRun.read(rig, TEAM, spec.getSearchId());
        samples = reference.samplesEvaluated();
        inProcess.add(inProcessMs / 1000);
        pipeline.add(run.wallMs() / 1000);
        ratio.add(run.wallMs() / inProcessMs);
        busy.add(run.busyMs() / 1000.0);
        overhead.add((run.wallMs() - run.busyMs()) / run.iterations());
        boolean same =
            Arrays.deepEquals(
                WireConversions.matrix(run.finalUpdate().getLogits()),
                reference.finalState().distribution().logits());
        identical += same ? 1 : 0;
      }
      Summary ratios = Summary.of(ratio);
      Summary perIteration = Summary.of(overhead);
      table.row(
          c.evalMs(),
          c.iterations(),
          samples,
          Summary.of(inProcess),
          Summary.of(pipeline),
          ratios,
          Summary.of(busy),
          perIteration,
          identical + "/" + repetitions);
      findings.add(
          String.format(
              Locale.ROOT,
              "At %d ms per evaluation the pipeline with one evaluator took %.2fx the "
                  + "in-process loop's wall time (median of %d), %.0f ms per iteration above the evaluators' busy time; final "
                  + "distributions bit-identical in %d/%d runs.",
              c.evalMs(),
              ratios.median(),
              repetitions,
              perIteration.median(),
              identical,
              repetitions));
    }
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(
        "search",
        ExampleSearch.SPACE
            + " with "
            + ExampleSearch.LANDSCAPE
            + ", "
            + new java.util.TreeMap<>(SETTINGS)
            + ", seed = repetition");
    settings.put(
        "cases",
        String.join(
            ", ",
            cases.stream()
                .map(c -> c.evalMs() + " ms × " + c.iterations() + " iterations")
                .toList()));
    settings.put("evaluators", "1 (benchmark evaluator, simulatedMs = E)");
    settings.put("broker", "embedded KRaft broker, child process, LogAppendTime topics");
    return new Section(name(), title(), method(), settings, repetitions, table, findings);
  }
}
