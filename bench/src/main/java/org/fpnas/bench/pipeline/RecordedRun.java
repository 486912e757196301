package org.fpnas.bench.pipeline;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fpnas.bench.KafkaRig;
import org.fpnas.bench.pipeline.TopicRecords.Timed;
import org.fpnas.schemas.AvroSerde;
import org.fpnas.schemas.SearchPartitions;
import org.fpnas.schemas.Topics;
import org.fpnas.schemas.avro.ArchitectureSample;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.EvaluationResult;
import org.fpnas.schemas.avro.ResultStatus;

/**
 * A finished pipeline search as its team's topics recorded it: its distributions, results and
 * samples, each with the broker's append time. All timings of the Kafka benchmarks come from here,
 * on the broker's clock, except where a benchmark says otherwise.
 */
public final class RecordedRun {
  private final List<Timed<DistributionUpdate>> updates;
  private final List<Timed<EvaluationResult>> results;
  private final List<Timed<ArchitectureSample>> samples;

  RecordedRun(
      List<Timed<DistributionUpdate>> updates,
      List<Timed<EvaluationResult>> results,
      List<Timed<ArchitectureSample>> samples) {
    this.updates = new ArrayList<>(updates);
    this.updates.sort(Comparator.comparingLong(u -> u.value().getVersion()));
    this.results = List.copyOf(results);
    this.samples = List.copyOf(samples);
    if (this.updates.size() < 2) {
      throw new IllegalStateException(
          "a recorded run needs at least one closed iteration, got "
              + this.updates.size()
              + " distribution(s)");
    }
  }

  /** Reads a search's records from its team's topics. */
  public static RecordedRun read(KafkaRig rig, String team, String searchId) {
    Topics topics = Topics.forTeam(team);
    AvroSerde<DistributionUpdate> updates =
        new AvroSerde<>(rig.registry(), DistributionUpdate.class);
    AvroSerde<EvaluationResult> results = new AvroSerde<>(rig.registry(), EvaluationResult.class);
    AvroSerde<ArchitectureSample> samples =
        new AvroSerde<>(rig.registry(), ArchitectureSample.class);
    String bootstrap = rig.bootstrapServers();
    return new RecordedRun(
        TopicRecords.read(
            bootstrap,
            topics.distributions(),
            r -> searchId.equals(r.key()) ? updates.deserialize(r.topic(), r.value()) : null),
        // Copies the aggregator forwarded to their search's partition are not evaluations: the
        // original, where the evaluator put it, is (and its append time is when it was produced).
        TopicRecords.read(
            bootstrap,
            topics.evaluations(),
            r ->
                searchId.equals(r.key())
                        && r.headers().lastHeader(SearchPartitions.FORWARDED_FROM) == null
                    ? results.deserialize(r.topic(), r.value())
                    : null),
        TopicRecords.read(
            bootstrap,
            topics.samples(),
            r -> {
              ArchitectureSample s = samples.deserialize(r.topic(), r.value());
              return searchId.equals(s.getSearchId()) ? s : null;
            }));
  }

  /** Closed iterations. */
  public int iterations() {
    return updates.size() - 1;
  }

  /** K of every closed iteration. */
  public int[] sampleCounts() {
    int[] out = new int[iterations()];
    for (int t = 0; t < out.length; t++) {
      out[t] = updates.get(t).value().getSampleCount();
    }
    return out;
  }

  /** The results, in topic order. */
  public List<EvaluationResult> results() {
    return results.stream().map(Timed::value).toList();
  }

  /** The final distribution. */
  public DistributionUpdate finalUpdate() {
    return updates.get(updates.size() - 1).value();
  }

  /** When the iteration-0 distribution was appended, on the broker's clock (ms). */
  public double startMs() {
    return updates.get(0).appendedAtMs();
  }

  /** From the iteration-0 distribution to the final one, on the broker's clock (ms). */
  public double wallMs() {
    return updates.get(updates.size() - 1).appendedAtMs() - updates.get(0).appendedAtMs();
  }

  /**
   * The evaluators' busy time: the sum of the results' durations (ms, as the evaluators measured
   * them).
   */
  public long busyMs() {
    return results.stream().mapToLong(r -> r.value().getDurationMs()).sum();
  }

  /**
   * Per closed iteration, the largest number of its samples one evaluator evaluated: the iteration
   * lasts at least that many evaluation times, whatever the others do.
   */
  public int[] mostSamplesOnOneEvaluator() {
    Map<Integer, Map<String, Integer>> byIteration = new HashMap<>();
    for (Timed<EvaluationResult> r : results) {
      byIteration
          .computeIfAbsent(r.value().getIteration(), t -> new HashMap<>())
          .merge(r.value().getEvaluatorId(), 1, Integer::sum);
    }
    int[] out = new int[iterations()];
    for (int t = 0; t < out.length; t++) {
      out[t] =
          byIteration.getOrDefault(t, Map.of()).values().stream()
              .mapToInt(Integer::intValue)
              .max()
              .orElse(0);
    }
    return out;
  }

  /**
   * The per-iteration hops of the control loop (ms), for iterations 0 .. n−2 (each needs a
   * successor).
   */
  public List<ControlHops> controlHops() {
    Map<Integer, Long> lastResult = new HashMap<>();
    Map<Integer, Long> lastFinished = new HashMap<>();
    Map<Integer, Long> firstStarted = new HashMap<>();
    for (Timed<EvaluationResult> r : results) {
      EvaluationResult e = r.value();
      if (e.getStatus() != ResultStatus.OK) {
        continue;
      }
      lastResult.merge(e.getIteration(), r.appendedAtMs(), Math::max);
      lastFinished.merge(e.getIteration(), e.getFinishedAtMs(), Math::max);
      firstStarted.merge(e.getIteration(), e.getFinishedAtMs() - e.getDurationMs(), Math::min);
    }
    Map<Integer, Long> firstSample = new HashMap<>();
    for (Timed<ArchitectureSample> s : samples) {
      firstSample.merge(s.value().getIteration(), s.appendedAtMs(), Math::min);
    }
    List<ControlHops> out = new ArrayList<>();
    for (int t = 0; t + 1 < updates.size() - 1; t++) {
      Long result = lastResult.get(t);
      Long sample = firstSample.get(t + 1);
      Long started = firstStarted.get(t + 1);
      if (result == null || sample == null || started == null) {
        continue; // an iteration without results (all failed) has no hop to measure
      }
      long distribution = updates.get(t + 1).appendedAtMs();
      out.add(
          new ControlHops(
              distribution - result,
              sample - distribution,
              sample - result,
              started - lastFinished.get(t)));
    }
    return out;
  }

  /**
   * The hops from iteration t's last result to iteration t+1's first sample (ms).
   *
   * @param aggregator last result appended → next distribution appended (the aggregator's update
   *     and commit)
   * @param dispatch next distribution appended → its first sample appended (the dispatcher's
   *     transaction under pool pacing; none when the aggregator publishes the samples itself)
   * @param total last result appended → first sample appended
   * @param seenByEvaluators last result finished → first evaluation of the next iteration started,
   *     on the evaluators' clock: adds the last commit and an evaluator's poll
   */
  public record ControlHops(long aggregator, long dispatch, long total, long seenByEvaluators) {}
}
