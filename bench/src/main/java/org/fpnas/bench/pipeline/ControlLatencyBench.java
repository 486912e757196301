package org.fpnas.bench.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RoundRobinPartitioner;
import org.fpnas.bench.Bench;
import org.fpnas.bench.BenchContext;
import org.fpnas.bench.ExampleSearch;
import org.fpnas.bench.KafkaRig;
import org.fpnas.bench.report.Section;
import org.fpnas.bench.report.Stats;
import org.fpnas.bench.report.Table;
import org.fpnas.schemas.avro.SearchSpec;

/** Benchmark 5: from the last result of iteration t to the first sample of iteration t+1. */
public final class ControlLatencyBench implements Bench {
  static final String TEAM = "bench-latency";
  private static final int EVALUATORS = 4;
  private static final Map<String, String> SETTINGS = Map.of("fixedK", "8", "learningRate", "0.1");
  private static final String MURMUR2 = "murmur2";
  private static final String ROUND_ROBIN = "round robin";

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
    return "One long search through Kafka with "
        + EVALUATORS
        + " evaluators and no simulated evaluation time, so that "
        + "the control loop is all there is; then a second one whose evaluators place their results with "
        + "Kafka's RoundRobinPartitioner instead of murmur2 of the key, as a client with another partitioner "
        + "would, so that the aggregator forwards the misplaced ones to their search's partition (the original's "
        + "append time counts as the result's). Read back from the topics with the broker's append times "
        + "(LogAppendTime), per iteration t: *aggregator* = last result of t appended → distribution t+1 appended "
        + "(the aggregator reads the result, updates, and commits its exactly-once transaction); *dispatch* = "
        + "distribution t+1 appended → first sample of t+1 appended (the aggregator draws the samples in the "
        + "distribution's transaction; under pool pacing, the controller's default, the dispatcher's transaction "
        + "publishes them); *total* = the two together, the control loop's "
        + "latency. *Seen by evaluators* adds what the record timestamps cannot show: the last transaction's commit "
        + "and an evaluator's poll, measured on the evaluators' clock (last result of t finished → first evaluation of "
        + "t+1 started, from the results' `finishedAtMs` and `durationMs`). Percentiles interpolate between ranks.";
  }

  @Override
  public Section run(BenchContext context) {
    int iterations = context.size(20, 200);
    KafkaRig rig = context.kafka();
    rig.startController();
    Map<String, List<RecordedRun.ControlHops>> byPlacement = new LinkedHashMap<>();
    byPlacement.put(MURMUR2, search(context, rig, iterations, 0, Map.of()));
    // A client whose partitioner ignores murmur2: the aggregator forwards its misplaced results.
    byPlacement.put(
        ROUND_ROBIN,
        search(
            context,
            rig,
            iterations,
            1,
            Map.of(
                ProducerConfig.PARTITIONER_CLASS_CONFIG, RoundRobinPartitioner.class.getName())));
    Table table =
        new Table()
            .column("results placed by")
            .column("hop")
            .column("n")
            .column("median (ms)", 1)
            .column("p90 (ms)", 1)
            .column("p99 (ms)", 1)
            .column("max (ms)", 1);
    Map<String, ToLongFunction<RecordedRun.ControlHops>> kinds = new LinkedHashMap<>();
    kinds.put("aggregator: last result → distribution", RecordedRun.ControlHops::aggregator);
    kinds.put("dispatch: distribution → first sample", RecordedRun.ControlHops::dispatch);
    kinds.put("total: last result → first sample", RecordedRun.ControlHops::total);
    kinds.put(
        "seen by evaluators: last result → next evaluation",
        RecordedRun.ControlHops::seenByEvaluators);
    Map<String, Map<String, double[]>> values = new LinkedHashMap<>();
    for (Map.Entry<String, List<RecordedRun.ControlHops>> placed : byPlacement.entrySet()) {
      for (Map.Entry<String, ToLongFunction<RecordedRun.ControlHops>> k : kinds.entrySet()) {
        double[] v = placed.getValue().stream().mapToLong(k.getValue()).asDoubleStream().toArray();
        values.computeIfAbsent(placed.getKey(), x -> new LinkedHashMap<>()).put(k.getKey(), v);
        table.row(
            placed.getKey(),
            k.getKey(),
            v.length,
            Stats.median(v),
            Stats.percentile(v, 90),
            Stats.percentile(v, 99),
            Stats.percentile(v, 100));
      }
    }
    double[] total = values.get(MURMUR2).get("total: last result → first sample");
    double[] seen = values.get(MURMUR2).get("seen by evaluators: last result → next evaluation");
    double[] forwarded = values.get(ROUND_ROBIN).get("total: last result → first sample");
    List<String> findings = new ArrayList<>();
    findings.add(
        String.format(
            Locale.ROOT,
            "From the last result of an iteration to the first sample of the next: median "
                + "%.0f ms, p99 %.0f ms over %d iterations (record timestamps); evaluators start the next iteration %.0f ms "
                + "(median, p99 %.0f ms) after the last result. Every iteration pays this once, however many evaluators there are.",
            Stats.median(total),
            Stats.percentile(total, 99),
            total.length,
            Stats.median(seen),
            Stats.percentile(seen, 99)));
    findings.add(
        String.format(
            Locale.ROOT,
            "Results placed by a partitioner other than murmur2 (round robin: about 3 of "
                + "4 are on another partition than their search's, and the aggregator forwards them): median %.0f ms, p99 %.0f ms "
                + "from the last result to the first sample of the next iteration, %+.0f ms at the median.",
            Stats.median(forwarded),
            Stats.percentile(forwarded, 99),
            Stats.median(forwarded) - Stats.median(total)));
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(
        "search",
        ExampleSearch.SPACE
            + " with "
            + ExampleSearch.LANDSCAPE
            + ", "
            + new java.util.TreeMap<>(SETTINGS)
            + ", maxIterations="
            + iterations);
    settings.put(
        "evaluators",
        EVALUATORS
            + " (benchmark evaluator, simulatedMs = 0); results placed by Java's default "
            + "partitioner (murmur2), then by "
            + RoundRobinPartitioner.class.getSimpleName()
            + " in a second search");
    settings.put(
        "controller",
        "ControllerService defaults: exactly-once v2, commit interval 50 ms, poll 10 ms");
    return new Section(name(), title(), method(), settings, total.length, table, findings);
  }

  private List<RecordedRun.ControlHops> search(
      BenchContext context,
      KafkaRig rig,
      int iterations,
      int number,
      Map<String, String> evaluatorSettings) {
    rig.evaluators(EVALUATORS, TEAM, evaluatorSettings);
    rig.warmUp(TEAM);
    context.progress("%s: %d iterations, evaluators %s", name(), iterations, evaluatorSettings);
    Map<String, String> hp = new LinkedHashMap<>(SETTINGS);
    hp.put("maxIterations", Integer.toString(iterations));
    SearchSpec spec = ExampleSearch.spec(TEAM, "latency-" + number, hp, 0);
    rig.publish(spec);
    rig.awaitDone(spec, Duration.ofMinutes(10));
    return RecordedRun.read(rig, TEAM, spec.getSearchId()).controlHops();
  }
}
