package org.fpnas.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.fpnas.client.ResultReport;
import org.fpnas.client.history.SearchLog;
import org.fpnas.client.wire.WireConversions;
import org.fpnas.core.Distribution;
import org.fpnas.core.space.Layer;
import org.fpnas.core.space.SearchSpace;
import org.fpnas.schemas.avro.DistributionPhase;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.EvaluationResult;
import org.fpnas.schemas.avro.ResultStatus;

/**
 * A search as the dashboard's pages show it, in JSON: a row of the searches table, and the search
 * page's data.
 */
final class SearchViews {
  /** The most samples the scatter plots; a larger search is thinned evenly (every n-th sample). */
  static final int MAX_SCATTER_POINTS = 4000;

  private final ObjectMapper json;

  SearchViews(ObjectMapper json) {
    this.json = json;
  }

  /** A row of the searches table. */
  ObjectNode row(SearchLog log) {
    ObjectNode row = json.createObjectNode();
    DistributionUpdate u = log.latest();
    row.put("team", log.spec().getTeam());
    row.put("searchId", log.spec().getSearchId());
    row.put("state", log.state());
    row.put("schedule", log.asynchronous() ? "asynchronous" : "synchronous");
    row.put("waitingReason", log.waitingReason());
    row.put("submittedAtMs", log.spec().getSubmittedAtMs());
    row.put("samples", log.samplesEvaluated());
    row.put("evaluator", log.spec().getEvaluator());
    row.put("parentSearchId", log.spec().getParentSearchId());
    if (u != null) {
      row.put("iteration", u.getIteration());
      row.put("k", u.getSampleCount());
      row.put("entropy", u.getEntropy());
      row.put("phase", u.getPhase() == DistributionPhase.JOINT ? "JD" : "FD");
      row.put("meanLogLikelihood", u.getMeanLogLikelihood());
      row.put("bestLogLikelihood", best(log));
      row.put("mode", WireConversions.architecture(u.getMode()).toString());
      if (u.getDone()) {
        row.put("endedAtMs", u.getCreatedAtMs());
        row.put("stopReason", u.getStopReason());
      }
    }
    return row;
  }

  /** The best log-likelihood of any iteration so far. */
  private static Double best(SearchLog log) {
    Double best = null;
    for (DistributionUpdate u : log.updates()) {
      if (u.getMaxLogLikelihood() != null && (best == null || u.getMaxLogLikelihood() > best)) {
        best = u.getMaxLogLikelihood();
      }
    }
    return best;
  }

  /**
   * The search page's data: per-iteration curves, the distribution over the iterations, the
   * samples, the mode.
   */
  ObjectNode detail(SearchLog log) {
    ObjectNode root = json.createObjectNode();
    root.set("summary", row(log));
    String target = log.spec().getHyperparameters().get("costTarget");
    if (target != null && !target.isBlank()) {
      root.put("costTarget", Double.parseDouble(target));
    }
    root.set("iterations", iterations(log.updates()));
    SearchSpace space =
        SearchSpace.parse(log.spec().getSpace(), "space of search " + log.spec().getSearchId());
    root.set("layers", layers(space, log.updates()));
    root.set("scatter", scatter(log.results()));
    ObjectNode report = ResultReport.of(log);
    report.remove("perIteration");
    root.set("report", report);
    return root;
  }

  private ObjectNode iterations(List<DistributionUpdate> updates) {
    ObjectNode out = json.createObjectNode();
    ArrayNode it = out.putArray("iteration");
    ArrayNode entropy = out.putArray("entropy");
    ArrayNode k = out.putArray("k");
    ArrayNode mean = out.putArray("meanLogLikelihood");
    ArrayNode max = out.putArray("maxLogLikelihood");
    ArrayNode cost = out.putArray("expectedCost");
    ArrayNode ess = out.putArray("effectiveSampleSize");
    for (DistributionUpdate u : updates) {
      it.add(u.getIteration());
      entropy.add(u.getEntropy());
      k.add(u.getSampleCount());
      // An update carries the statistics of the iteration it closed: shown at that iteration.
      mean.add(u.getMeanLogLikelihood());
      max.add(u.getMaxLogLikelihood());
      cost.add(u.getExpectedCost());
      ess.add(u.getEffectiveSampleSize());
    }
    return out;
  }

  /**
   * Per layer and variable, each choice's probability at every iteration (marginal under a joint
   * distribution).
   */
  private ArrayNode layers(SearchSpace space, List<DistributionUpdate> updates) {
    ArrayNode out = json.createArrayNode();
    Distribution[] ds = new Distribution[updates.size()];
    for (int t = 0; t < ds.length; t++) {
      ds[t] = WireConversions.distribution(space, updates.get(t));
    }
    for (int l = 0; l < space.layerCount(); l++) {
      Layer layer = space.layer(l);
      for (int m = 0; m < layer.variables().size(); m++) {
        ObjectNode v = out.addObject();
        v.put("layer", layer.name());
        v.put("variable", layer.variables().get(m).name());
        ArrayNode choices = v.putArray("choices");
        layer.variables().get(m).choices().forEach(choices::add);
        ArrayNode probs = v.putArray("probabilities");
        double[][] byIteration = new double[ds.length][];
        for (int t = 0; t < ds.length; t++) {
          byIteration[t] = ds[t].marginal(l, m);
        }
        for (int c = 0; c < layer.variables().get(m).choices().size(); c++) {
          ArrayNode series = probs.addArray();
          for (double[] p : byIteration) {
            series.add(p[c]);
          }
        }
      }
    }
    return out;
  }

  /**
   * Cost and log-likelihood of the OK samples, with their iteration; thinned evenly beyond {@link
   * #MAX_SCATTER_POINTS}.
   */
  private ObjectNode scatter(List<EvaluationResult> results) {
    List<EvaluationResult> ok =
        results.stream()
            .filter(
                r ->
                    r.getStatus() == ResultStatus.OK
                        && r.getCost() != null
                        && r.getLogLikelihood() != null)
            .toList();
    int step = Math.max(1, (ok.size() + MAX_SCATTER_POINTS - 1) / MAX_SCATTER_POINTS);
    ObjectNode out = json.createObjectNode();
    out.put("total", ok.size());
    ArrayNode cost = out.putArray("cost");
    ArrayNode ll = out.putArray("logLikelihood");
    ArrayNode it = out.putArray("iteration");
    for (int i = 0; i < ok.size(); i += step) {
      EvaluationResult r = ok.get(i);
      cost.add(r.getCost());
      ll.add(r.getLogLikelihood());
      it.add(r.getIteration());
    }
    out.put("shown", cost.size());
    return out;
  }
}
