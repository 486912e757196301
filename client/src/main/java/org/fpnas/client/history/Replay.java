package org.fpnas.client.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.fpnas.client.fold.SearchFold;
import org.fpnas.client.fold.SearchModels;
import org.fpnas.client.wire.WireConversions;
import org.fpnas.core.SearchState;
import org.fpnas.core.StopReason;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.EvaluationResult;
import org.fpnas.schemas.avro.SearchSpec;

/**
 * Rebuilds a search's trajectory from its recorded spec and evaluations with the core update (the
 * aggregator's own code path), and checks it against the recorded distributions. Each recorded
 * update names the results it used, so a replay needs no clock: an iteration that a deadline closed
 * early is replayed with exactly the results it had.
 */
public final class Replay {
  private Replay() {}

  /** The first value where a replay and the record part ways. */
  public record Mismatch(int iteration, String field, String recorded, String replayed) {
    @Override
    public String toString() {
      return "iteration "
          + iteration
          + ": "
          + field
          + " recorded "
          + recorded
          + ", replayed "
          + replayed;
    }
  }

  /** The outcome of a replay: the replayed distributions and the first mismatch, if any. */
  public record Report(
      String searchId, List<DistributionUpdate> replayed, Mismatch firstMismatch, long eventsRead) {
    public boolean identical() {
      return firstMismatch == null;
    }

    /** Iterations checked (complete iterations up to the last recorded distribution). */
    public int iterationsChecked() {
      return replayed.isEmpty() ? 0 : replayed.get(replayed.size() - 1).getIteration();
    }
  }

  /** Replays the recorded search and compares every distribution with the record. */
  public static Report verify(SearchLog log) {
    SearchSpec spec = log.spec();
    SearchModels.Model model = SearchModels.parse(spec);
    List<DistributionUpdate> recorded = log.updates();
    List<DistributionUpdate> replayed = new ArrayList<>();
    if (recorded.isEmpty()) {
      return new Report(spec.getSearchId(), replayed, null, log.results().size());
    }
    Map<String, EvaluationResult> firstById = firstResultById(log.results());
    DistributionUpdate expected = SearchFold.initialUpdate(spec, model, 0L);
    Mismatch mismatch = compare(recorded.get(0), expected);
    replayed.add(expected);
    DrawnFrom drawnFrom = new DrawnFrom(model.space());
    drawnFrom.add(expected);
    for (int t = 1; t < recorded.size() && mismatch == null; t++) {
      DistributionUpdate record = recorded.get(t);
      DistributionUpdate previous = replayed.get(t - 1);
      if (StopReason.endedWithoutUpdate(record.getStopReason())) {
        expected =
            SearchFold.stopped(
                previous, StopReason.fromWire(record.getStopReason()), record.getCreatedAtMs());
      } else {
        SearchState state = WireConversions.state(model.space(), previous);
        List<EvaluationResult> used = new ArrayList<>();
        for (String id : record.getUsedSampleIds()) {
          EvaluationResult r = firstById.get(id);
          if (r == null) {
            mismatch =
                new Mismatch(
                    record.getIteration(), "usedSampleIds", id, "no recorded result for " + id);
            break;
          }
          used.add(r);
        }
        if (mismatch != null) {
          break;
        }
        expected =
            SearchFold.next(
                spec,
                model,
                state,
                used,
                drawnFrom.architectures(model, state),
                previous.getSampleCount(),
                record.getCreatedAtMs());
      }
      replayed.add(expected);
      drawnFrom.add(expected);
      mismatch = compare(record, expected);
    }
    return new Report(
        spec.getSearchId(), replayed, mismatch, log.results().size() + recorded.size());
  }

  /**
   * The first result of every sample, in the order the aggregator read them (one partition per
   * search).
   */
  static Map<String, EvaluationResult> firstResultById(List<EvaluationResult> results) {
    Map<String, EvaluationResult> first = new HashMap<>();
    for (EvaluationResult r : results) {
      first.putIfAbsent(r.getSampleId(), r);
    }
    return first;
  }

  /**
   * The first field (in a fixed order) where two updates differ; doubles are compared bit for bit.
   */
  static Mismatch compare(DistributionUpdate recorded, DistributionUpdate replayed) {
    int t = recorded.getIteration();
    List<Object[]> fields =
        List.of(
            new Object[] {"iteration", recorded.getIteration(), replayed.getIteration()},
            new Object[] {"version", recorded.getVersion(), replayed.getVersion()},
            new Object[] {"phase", recorded.getPhase(), replayed.getPhase()},
            new Object[] {"logits", bits(recorded.getLogits()), bits(replayed.getLogits())},
            new Object[] {
              "adamFirstMoment",
              bits(recorded.getAdamFirstMoment()),
              bits(replayed.getAdamFirstMoment())
            },
            new Object[] {
              "adamSecondMoment",
              bits(recorded.getAdamSecondMoment()),
              bits(replayed.getAdamSecondMoment())
            },
            new Object[] {"adamStep", recorded.getAdamStep(), replayed.getAdamStep()},
            new Object[] {"entropy", bits(recorded.getEntropy()), bits(replayed.getEntropy())},
            new Object[] {"sampleCount", recorded.getSampleCount(), replayed.getSampleCount()},
            new Object[] {"mode", recorded.getMode(), replayed.getMode()},
            new Object[] {
              "modeStableIterations",
              recorded.getModeStableIterations(),
              replayed.getModeStableIterations()
            },
            new Object[] {"samplesUsed", recorded.getSamplesUsed(), replayed.getSamplesUsed()},
            new Object[] {
              "samplesMissing", recorded.getSamplesMissing(), replayed.getSamplesMissing()
            },
            new Object[] {
              "effectiveSampleSize",
              bits(recorded.getEffectiveSampleSize()),
              bits(replayed.getEffectiveSampleSize())
            },
            new Object[] {
              "expectedCost", bits(recorded.getExpectedCost()), bits(replayed.getExpectedCost())
            },
            new Object[] {
              "meanLogLikelihood",
              bits(recorded.getMeanLogLikelihood()),
              bits(replayed.getMeanLogLikelihood())
            },
            new Object[] {
              "maxLogLikelihood",
              bits(recorded.getMaxLogLikelihood()),
              bits(replayed.getMaxLogLikelihood())
            },
            new Object[] {"done", recorded.getDone(), replayed.getDone()},
            new Object[] {"stopReason", recorded.getStopReason(), replayed.getStopReason()});
    for (Object[] f : fields) {
      if (!Objects.equals(f[1], f[2])) {
        return new Mismatch(t, (String) f[0], shown(f[0], recorded), shown(f[0], replayed));
      }
    }
    return null;
  }

  private static String shown(Object field, DistributionUpdate u) {
    Object v = u.get((String) field);
    String s = String.valueOf(v);
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }

  private static Object bits(Double v) {
    return v == null ? null : Double.doubleToRawLongBits(v);
  }

  private static Object bits(List<List<Double>> rows) {
    List<List<Long>> out = new ArrayList<>(rows.size());
    for (List<Double> row : rows) {
      List<Long> r = new ArrayList<>(row.size());
      for (Double d : row) {
        r.add(Double.doubleToRawLongBits(d));
      }
      out.add(r);
    }
    return out;
  }
}
