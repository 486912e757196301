package org.fpnas.bench.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.fpnas.schemas.avro.SearchSpec;
import org.fpnas.bench.Bench;
import org.fpnas.bench.BenchContext;
import org.fpnas.bench.Section;
import org.fpnas.bench.report.Stats;
import org.fpnas.bench.report.Table;

/** Benchmark 5: from the last result of iteration t to the first sample of iteration t+1. */
public final class ControlLatencyBench implements Bench {
  static final String TEAM = "bench-latency";
  private static final int EVALUATORS = 4;
  private static final Map<String, String> SETTINGS = Map.of("fixedK", "8", "learningRate", "0.1");

  @Override
  public String name() {
    return "control-latency";
  }

  @Override
  public String title() {
    return "Control latency";
  }

  @Override
  public List<String> teams() {
    return List.of(TEAM);
  }

  @Override
  public String method() {
    return "One long search through Kafka with " + EVALUATORS + " evaluators and no simulated evaluation time, so that "
        + "the control loop is all there is. Read back from the topics with the broker's append times "
        + "(LogAppendTime), per iteration t: *aggregator* = last result of t appended → distribution t+1 appended "
        + "(the aggregator reads the result, updates, and commits its exactly-once transaction); *sampler* = "
        + "distribution t+1 appended → first sample of t+1 appended; *total* = the two together, the latency the issue "
        + "asks for. *Seen by evaluators* adds what the record timestamps cannot show: the sampler's transaction commit "
        + "and an evaluator's poll, measured on the evaluators' clock (last result of t finished → first evaluation of "
        + "t+1 started, from the results' `finishedAtMs` and `durationMs`). Percentiles interpolate between ranks.";
  }

  @Override
  public Section run(BenchContext context) {
    int iterations = context.size(20, 200);
    KafkaRig rig = context.kafka();
    rig.startController();
    rig.evaluators(EVALUATORS, TEAM);
    rig.warmUp(TEAM);
    context.progress("%s: %d iterations", name(), iterations);
    Map<String, String> hp = new LinkedHashMap<>(SETTINGS);
    hp.put("maxIterations", Integer.toString(iterations));
    SearchSpec spec = ExampleSearch.spec(TEAM, "latency-0", hp, 0);
    rig.publish(spec);
    rig.awaitDone(spec, Duration.ofMinutes(10));
    List<RecordedRun.ControlHops> hops = RecordedRun.read(rig, TEAM, spec.getSearchId()).controlHops();
    Table table = new Table().column("hop").column("n").column("median (ms)", 1).column("p90 (ms)", 1)
        .column("p99 (ms)", 1).column("max (ms)", 1);
    Map<String, ToLongFunction<RecordedRun.ControlHops>> kinds = new LinkedHashMap<>();
    kinds.put("aggregator: last result → distribution", RecordedRun.ControlHops::aggregator);
    kinds.put("sampler: distribution → first sample", RecordedRun.ControlHops::sampler);
    kinds.put("total: last result → first sample", RecordedRun.ControlHops::total);
    kinds.put("seen by evaluators: last result → next evaluation", RecordedRun.ControlHops::seenByEvaluators);
    Map<String, double[]> values = new LinkedHashMap<>();
    for (Map.Entry<String, ToLongFunction<RecordedRun.ControlHops>> k : kinds.entrySet()) {
      double[] v = hops.stream().mapToLong(k.getValue()).asDoubleStream().toArray();
      values.put(k.getKey(), v);
      table.row(k.getKey(), v.length, Stats.median(v), Stats.percentile(v, 90), Stats.percentile(v, 99),
          Stats.percentile(v, 100));
    }
    double[] total = values.get("total: last result → first sample");
    double[] seen = values.get("seen by evaluators: last result → next evaluation");
    List<String> findings = new ArrayList<>();
    findings.add(String.format(Locale.ROOT, "From the last result of an iteration to the first sample of the next: median "
        + "%.0f ms, p99 %.0f ms over %d iterations (record timestamps); evaluators start the next iteration %.0f ms "
        + "(median, p99 %.0f ms) after the last result. Every iteration pays this once, however many evaluators there are.",
        Stats.median(total), Stats.percentile(total, 99), total.length, Stats.median(seen), Stats.percentile(seen, 99)));
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("search", ExampleSearch.SPACE + " with " + ExampleSearch.LANDSCAPE + ", "
        + new java.util.TreeMap<>(SETTINGS) + ", maxIterations=" + iterations);
    settings.put("evaluators", EVALUATORS + " (benchmark evaluator, simulatedMs = 0)");
    settings.put("controller", "ControllerService defaults: exactly-once v2, commit interval 50 ms, poll 10 ms");
    return new Section(name(), title(), method(), settings, total.length, table, findings);
  }
}
