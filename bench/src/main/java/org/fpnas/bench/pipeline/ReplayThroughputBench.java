package org.fpnas.bench.pipeline;

import java.util.ArrayList;
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
import org.fpnas.client.history.Replay;
import org.fpnas.client.history.SearchHistory;
import org.fpnas.client.history.SearchLog;
import org.fpnas.schemas.avro.SearchSpec;

/**
 * Benchmark 7: events per second of {@code fpnas replay}, reading from Kafka and replaying measured
 * apart.
 */
public final class ReplayThroughputBench implements Bench {
  static final String TEAM = "bench-replay";
  private static final int K = 64;

  /**
   * Teams whose real pipeline searches (from the other Kafka benchmarks of the same run) are
   * replayed too.
   */
  private static final List<String> PIPELINE_TEAMS =
      List.of(PipelineOverheadBench.TEAM, EvaluatorScalingBench.TEAM, ControlLatencyBench.TEAM);

  @Override
  public String name() {
    return "replay-throughput";
  }

  @Override
  public String title() {
    return "Replay throughput";
  }

  @Override
  public List<String> teams() {
    return List.of(TEAM);
  }

  @Override
  public String method() {
    return "What `fpnas replay` does, in two timed steps: `SearchHistory.read` (the team's searches, distributions and "
        + "evaluations read back from Kafka and decoded) and `Replay.verify` (every distribution recomputed with the "
        + "aggregator's update path and compared bit for bit). Events = results + distributions. *Generated history*: "
        + "one search with K = "
        + K
        + " written straight to the topics by the benchmark (`HistoryWriter`: the "
        + "aggregator's fold on results it makes up, no pipeline run; the controller is stopped first), which is "
        + "much faster to build than running the search and exercises the same read and replay code; `Replay.verify` "
        + "accepting it bit for bit shows it is exactly what the aggregator would have recorded. *Pipeline histories*: "
        + "the searches that the other Kafka benchmarks of this run recorded through the real pipeline, replayed the "
        + "same way (a correctness check as much as a speed figure).";
  }

  @Override
  public Section run(BenchContext context) {
    int repetitions = context.size(1, 3);
    int events = context.size(5_000, 100_000);
    int iterations = (events + K - 1) / K;
    KafkaRig rig = context.kafka();
    rig.stopController(); // it would act on the spec and results written below
    Table table =
        new Table()
            .column("history")
            .column("searches")
            .column("events")
            .summaryColumn("read (s)", 3)
            .summaryColumn("read events/s", 0)
            .summaryColumn("replay (s)", 3)
            .summaryColumn("replay events/s", 0)
            .summaryColumn("read + replay events/s", 0)
            .column("identical");
    List<String> findings = new ArrayList<>();
    SearchSpec spec =
        ExampleSearch.spec(
            TEAM,
            "replay-0",
            Map.of(
                "fixedK",
                Integer.toString(K),
                "maxIterations",
                Integer.toString(iterations),
                "learningRate",
                "0.1"),
            0);
    context.progress("%s: writing a history of %d iterations × K=%d", name(), iterations, K);
    long start = System.nanoTime();
    long written = HistoryWriter.write(rig, spec);
    double writeSeconds = (System.nanoTime() - start) / 1e9;
    Measured generated = measure(context, rig, TEAM, repetitions);
    if (generated.events != written) {
      throw new IllegalStateException(
          "replay read " + generated.events + " events, the benchmark wrote " + written);
    }
    generated.addRow(table, "generated (K=" + K + ", " + iterations + " iterations)");
    findings.add(
        String.format(
            Locale.ROOT,
            "Replaying a search of %d events: reading it back from Kafka ran at %.0f "
                + "events/s and the replay computation at %.0f events/s, so `fpnas replay` takes about %.1f s for it "
                + "(generated history; %s).",
            generated.events,
            generated.read().median(),
            generated.replay().median(),
            generated.events / generated.total().median(),
            generated.identicalText()));
    List<String> recorded = new ArrayList<>();
    for (String team : PIPELINE_TEAMS) {
      if (context.teams().contains(team)) {
        Measured m = measure(context, rig, team, 1);
        if (m.searches > 0) {
          m.addRow(table, "pipeline (" + team + ")");
          recorded.add(m.searches + " searches of " + team + ": " + m.identicalText());
        }
      }
    }
    if (recorded.isEmpty()) {
      table.row("pipeline", 0, 0, "", "", "", "", "", "no pipeline searches recorded in this run");
    } else {
      findings.add(
          "Real pipeline histories of this run replay bit for bit: "
              + String.join("; ", recorded)
              + ".");
    }
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(
        "generated history",
        ExampleSearch.SPACE
            + " with "
            + ExampleSearch.LANDSCAPE
            + ", fixedK="
            + K
            + ", maxIterations="
            + iterations
            + ", learningRate=0.1 (FD, then JD from iteration 50)");
    settings.put(
        "writing it",
        String.format(
            Locale.ROOT, "%.1f s for %d events (not part of the figures)", writeSeconds, written));
    settings.put(
        "pipeline histories", "teams " + PIPELINE_TEAMS + " where this run used them, read once");
    return new Section(name(), title(), method(), settings, repetitions, table, findings);
  }

  private static Measured measure(
      BenchContext context, KafkaRig rig, String team, int repetitions) {
    context.progress(
        "replay-throughput: reading and replaying team %s (%d repetition(s))", team, repetitions);
    Measured m = new Measured();
    for (int r = 0; r < repetitions; r++) {
      long start = System.nanoTime();
      SearchHistory history =
          SearchHistory.read(rig.bootstrapServers(), rig.registry(), team, true, Map.of());
      long read = System.nanoTime();
      long events = 0;
      int identical = 0;
      List<SearchLog> logs = history.searches();
      for (SearchLog log : logs) {
        Replay.Report report = Replay.verify(log);
        events += report.eventsRead();
        identical += report.identical() ? 1 : 0;
      }
      long replayed = System.nanoTime();
      m.searches = logs.size();
      m.events = events;
      m.identical = identical;
      m.readSeconds.add((read - start) / 1e9);
      m.replaySeconds.add((replayed - read) / 1e9);
    }
    return m;
  }

  /** The timings of reading and replaying one team's searches. */
  private static final class Measured {
    int searches;
    long events;
    int identical;
    final List<Double> readSeconds = new ArrayList<>();
    final List<Double> replaySeconds = new ArrayList<>();

    Summary read() {
      return Summary.of(readSeconds.stream().mapToDouble(s -> events / s).toArray());
    }

    Summary replay() {
      return Summary.of(replaySeconds.stream().mapToDouble(s -> events / s).toArray());
    }

    Summary total() {
      double[] out = new double[readSeconds.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = events / (readSeconds.get(i) + replaySeconds.get(i));
      }
      return Summary.of(out);
    }

    String identicalText() {
      return identical + "/" + searches + " identical";
    }

    void addRow(Table table, String label) {
      table.row(
          label,
          searches,
          events,
          Summary.of(readSeconds),
          read(),
          Summary.of(replaySeconds),
          replay(),
          total(),
          identicalText());
    }
  }
}
