package org.fpnas.client.history;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fpnas.client.fold.SearchFold;
import org.fpnas.client.fold.SearchModels;
import org.fpnas.client.wire.WireConversions;
import org.fpnas.core.IterationOutcome;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.EvaluationResult;

/**
 * Writes a search's history as two tables, one row per iteration and one per sample, in CSV or
 * JSON, for notebooks. Importance and cost weights are recomputed from the record with the core.
 */
public final class Export {
  /** The output formats. */
  public enum Format {
    CSV,
    JSON
  }

  static final List<String> ITERATION_COLUMNS =
      List.of(
          "iteration",
          "sampleCount",
          "entropy",
          "phase",
          "meanLogLikelihood",
          "maxLogLikelihood",
          "expectedCost",
          "effectiveSampleSize",
          "mode",
          "modeProbability",
          "samplesUsed",
          "samplesMissing",
          "done",
          "stopReason");
  public static final List<String> SAMPLE_COLUMNS =
      List.of(
          "iteration",
          "index",
          "sampleId",
          "architecture",
          "status",
          "logLikelihood",
          "cost",
          "importanceWeight",
          "costWeight",
          "used",
          "evaluator",
          "attempt",
          "durationMs",
          "error");

  private Export() {}

  /** The files written. */
  public record Written(Path iterations, Path samples, int iterationRows, int sampleRows) {}

  public static Written write(SearchLog log, Format format, Path dir) {
    List<Map<String, Object>> iterations = iterationRows(log);
    List<Map<String, Object>> samples = sampleRows(log);
    String ext = format == Format.CSV ? ".csv" : ".json";
    Path it = dir.resolve(log.spec().getSearchId() + "-iterations" + ext);
    Path sa = dir.resolve(log.spec().getSearchId() + "-samples" + ext);
    try {
      Files.createDirectories(dir);
      Files.writeString(
          it, format == Format.CSV ? csv(ITERATION_COLUMNS, iterations) : json(iterations));
      Files.writeString(sa, format == Format.CSV ? csv(SAMPLE_COLUMNS, samples) : json(samples));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the export to " + dir + ": " + e.getMessage(), e);
    }
    return new Written(it, sa, iterations.size(), samples.size());
  }

  /** The tables of an export. */
  public enum Table {
    ITERATIONS,
    SAMPLES
  }

  /** One table of the export as text, the same as the file {@link #write} writes. */
  public static String table(SearchLog log, Table table, Format format) {
    List<String> columns = table == Table.ITERATIONS ? ITERATION_COLUMNS : SAMPLE_COLUMNS;
    List<Map<String, Object>> rows =
        table == Table.ITERATIONS ? iterationRows(log) : sampleRows(log);
    return format == Format.CSV ? csv(columns, rows) : json(rows);
  }

  static List<Map<String, Object>> iterationRows(SearchLog log) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (DistributionUpdate u : log.updates()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("iteration", u.getIteration());
      row.put("sampleCount", u.getSampleCount());
      row.put("entropy", u.getEntropy());
      row.put("phase", u.getPhase().name());
      row.put("meanLogLikelihood", u.getMeanLogLikelihood());
      row.put("maxLogLikelihood", u.getMaxLogLikelihood());
      row.put("expectedCost", u.getExpectedCost());
      row.put("effectiveSampleSize", u.getEffectiveSampleSize());
      row.put("mode", WireConversions.architecture(u.getMode()).toString());
      row.put("modeProbability", u.getModeProbability());
      row.put("samplesUsed", u.getSamplesUsed());
      row.put("samplesMissing", u.getSamplesMissing());
      row.put("done", u.getDone());
      row.put("stopReason", u.getStopReason());
      rows.add(row);
    }
    return rows;
  }

  public static List<Map<String, Object>> sampleRows(SearchLog log) {
    SearchModels.Model model = SearchModels.parse(log.spec());
    Map<String, double[]> weights = new HashMap<>();
    for (RecordedIteration it : RecordedIteration.of(log, model)) {
      if (it.evaluations().isEmpty()) {
        continue;
      }
      IterationOutcome o = model.fpnas().update(it.state(), it.evaluations());
      // Evaluations and the results they came from are in the same order.
      Map<Integer, String> sampleIdOf = new HashMap<>();
      for (int i = 0; i < it.used().size(); i++) {
        sampleIdOf.put(it.evaluations().get(i).index(), it.used().get(i).getSampleId());
      }
      for (int k = 0; k < o.indices().length; k++) {
        String id = sampleIdOf.get(o.indices()[k]);
        weights.put(id, new double[] {o.importanceWeights()[k], o.costWeights()[k]});
      }
    }
    Map<Integer, org.fpnas.core.Distribution> drawnFrom = new HashMap<>();
    for (DistributionUpdate u : log.updates()) {
      drawnFrom.putIfAbsent(u.getIteration(), WireConversions.distribution(model.space(), u));
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    for (EvaluationResult r : log.results()) {
      double[] w = weights.get(r.getSampleId());
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("iteration", r.getIteration());
      row.put("index", r.getIndex());
      row.put("sampleId", r.getSampleId());
      org.fpnas.core.Distribution d = drawnFrom.get(r.getIteration());
      row.put("architecture", d == null ? null : SearchFold.drawn(model, d, r).toString());
      row.put("status", r.getStatus().name());
      row.put("logLikelihood", r.getLogLikelihood());
      row.put("cost", r.getCost());
      row.put("importanceWeight", w == null ? null : w[0]);
      row.put("costWeight", w == null ? null : w[1]);
      row.put("used", w != null);
      row.put("evaluator", r.getEvaluatorId());
      row.put("attempt", r.getAttempt());
      row.put("durationMs", r.getDurationMs());
      row.put("error", r.getError());
      rows.add(row);
    }
    return rows;
  }

  static String csv(List<String> columns, List<Map<String, Object>> rows) {
    StringBuilder sb = new StringBuilder(String.join(",", columns)).append('\n');
    for (Map<String, Object> row : rows) {
      List<String> cells = new ArrayList<>();
      for (String c : columns) {
        cells.add(cell(row.get(c)));
      }
      sb.append(String.join(",", cells)).append('\n');
    }
    return sb.toString();
  }

  private static String cell(Object v) {
    if (v == null) {
      return "";
    }
    String s = v instanceof Double d ? String.format(Locale.ROOT, "%s", d) : v.toString();
    if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
      return '"' + s.replace("\"", "\"\"") + '"';
    }
    return s;
  }

  private static String json(List<Map<String, Object>> rows) {
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(rows);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
