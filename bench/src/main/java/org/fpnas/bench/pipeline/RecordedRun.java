package org.fpnas.bench.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

  /**
   * Reads a search once every sample it published has a result, or after {@code timeout} as it is
   * then. A search in the asynchronous schedule abandons the samples still in flight when it ends,
   * and the evaluators still evaluate those: waiting for them counts their results ({@link
   * #resultsAfterEnd}) and keeps them off the next search's time. Their answers are taken as
   * complete when two reads {@code settle} apart agree.
   */
  public static RecordedRun readSettled(
      KafkaRig rig, String team, String searchId, Duration timeout, Duration settle) {
    long deadline = System.nanoTime() + timeout.toNanos();
    RecordedRun run = read(rig, team, searchId);
    boolean answered = run.unansweredSamples() == 0;
    if (answered && !run.asynchronous()) {
      return run; // nothing is abandoned in synchronous iterations
    }
    while (System.nanoTime() < deadline) {
      sleep(settle.toMillis());
      RecordedRun again = read(rig, team, searchId);
      boolean before = answered;
      answered = again.unansweredSamples() == 0;
      boolean same =
          again.samples.size() == run.samples.size() && again.results.size() == run.results.size();
      run = again;
      if (before && answered && same) {
        return run;
      }
    }
    return run;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a search's last results", e);
    }
  }

  /** Whether the search ran in the asynchronous schedule (its samples say so). */
  public boolean asynchronous() {
    return samples.stream().anyMatch(s -> s.value().getAsynchronous());
  }

  /** Samples published on the samples topic that have no result (distinct sample ids). */
  public long unansweredSamples() {
    Set<String> answered = new HashSet<>();
    results.forEach(r -> answered.add(r.value().getSampleId()));
    return samples.stream()
        .map(s -> s.value().getSampleId())
        .distinct()
        .filter(id -> !answered.contains(id))
        .count();
  }

  /** When the final distribution was appended, on the broker's clock (ms): the search's end. */
  public double endMs() {
    return updates.get(updates.size() - 1).appendedAtMs();
  }

  /**
   * The results appended by the search's end ({@link #endMs}): what the evaluators produced while
   * the search ran, whether an update used them or not.
   */
  public List<EvaluationResult> resultsWithinWall() {
    return results.stream().filter(r -> r.appendedAtMs() <= endMs()).map(Timed::value).toList();
  }

  /**
   * Results appended after the search's end: in the asynchronous schedule, of samples that were
   * still in flight when it ended and were evaluated all the same.
   */
  public long resultsAfterEnd() {
    return results.stream().filter(r -> r.appendedAtMs() > endMs()).count();
  }

  /**
   * Results appended by the search's end that no update used (no update names their sample, or
   * another result of the same sample was used): evaluated for nothing.
   */
  public long unusedResultsWithinWall() {
    Set<String> used = new HashSet<>();
    for (Timed<DistributionUpdate> u : updates) {
      used.addAll(u.value().getUsedSampleIds());
    }
    List<Timed<EvaluationResult>> inOrder = new ArrayList<>(results);
    inOrder.sort(Comparator.comparingLong(Timed::appendedAtMs));
    long unused = 0;
    for (Timed<EvaluationResult> r : inOrder) {
      if (r.appendedAtMs() <= endMs() && !used.remove(r.value().getSampleId())) {
        unused++;
      }
    }
    return unused;
  }

  /**
   * The evaluators' busy time within the search's wall: each evaluation's span (its result's
   * finishedAtMs − durationMs to finishedAtMs, on the evaluators' clock) cut to the first to the
   * final distribution's append times (the same machine's clock here), so that evaluations of
   * abandoned samples count only for the part before the end.
   */
  public double busyWithinWallMs() {
    double start = startMs();
    double end = endMs();
    double busy = 0;
    for (Timed<EvaluationResult> r : results) {
      double finished = r.value().getFinishedAtMs();
      double started = finished - r.value().getDurationMs();
      busy += Math.max(0, Math.min(finished, end) - Math.max(started, start));
    }
    return busy;
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
