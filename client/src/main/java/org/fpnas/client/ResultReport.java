package org.fpnas.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.fpnas.client.history.SearchLog;
import org.fpnas.client.wire.WireConversions;
import org.fpnas.core.landscape.Landscape;
import org.fpnas.core.mbconv.FlopsCounter;
import org.fpnas.core.mbconv.NetworkCost;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.SearchSpace;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.SearchSpec;

/** The result JSON of a search: the found architecture and the trajectory, per iteration. */
public final class ResultReport {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ResultReport() {}

  /** The result of a search as a JSON tree. */
  public static ObjectNode of(SearchLog log) {
    SearchSpec spec = log.spec();
    SearchSpace space = SearchSpace.parse(spec.getSpace(), "space of search " + spec.getSearchId());
    DistributionUpdate last = log.latest();
    ObjectNode root = JSON.createObjectNode();
    root.put("searchId", spec.getSearchId());
    root.put("team", spec.getTeam());
    root.put("state", log.state());
    if (last == null) {
      root.put("iterations", 0);
      root.put("samplesEvaluated", log.samplesEvaluated());
      return root;
    }
    Architecture mode = WireConversions.architecture(last.getMode());
    root.put("iterations", last.getIteration());
    root.put("samplesEvaluated", samplesUsed(log));
    root.put("stopReason", last.getStopReason());
    ObjectNode arch = root.putObject("finalArchitecture");
    mode.describe(space)
        .forEach(
            (layer, vars) -> {
              ObjectNode l = arch.putObject(layer);
              vars.forEach(l::put);
            });
    root.put("finalArchitectureString", mode.toString());
    root.put("finalProbability", last.getModeProbability());
    if (TabularSearches.KIND.equals(spec.getEvaluator())) {
      TabularSearches.report(root, spec.getEvaluatorSettings(), mode, samplesUsed(log));
    } else if (spec.getLandscape() != null) {
      Landscape landscape =
          Landscape.parse(spec.getLandscape(), "landscape of " + spec.getSearchId(), space);
      root.put("finalCost", landscape.cost(mode));
      root.put("finalRegret", landscape.regret(mode));
    } else if (space.network().isPresent()) {
      // An MBConv space: the cost is the architecture's multiply-adds, as the DJL evaluator reports
      // it.
      NetworkCost cost = new FlopsCounter(space).count(mode);
      root.put("finalCost", cost.multiplyAdds());
      root.put("finalParameters", cost.parameters());
    } else {
      root.putNull("finalCost");
    }
    root.put("finalEntropy", last.getEntropy());
    ArrayNode iterations = root.putArray("perIteration");
    for (DistributionUpdate u : log.updates()) {
      ObjectNode it = iterations.addObject();
      it.put("iteration", u.getIteration());
      it.put("entropy", u.getEntropy());
      it.put("sampleCount", u.getSampleCount());
      it.put("phase", u.getPhase().name());
      putNullable(it, "meanLogLikelihood", u.getMeanLogLikelihood());
      putNullable(it, "maxLogLikelihood", u.getMaxLogLikelihood());
      putNullable(it, "expectedCost", u.getExpectedCost());
      putNullable(it, "effectiveSampleSize", u.getEffectiveSampleSize());
      it.put("samplesUsed", u.getSamplesUsed());
      it.put("samplesMissing", u.getSamplesMissing());
      it.put("mode", WireConversions.architecture(u.getMode()).toString());
      it.put("modeProbability", u.getModeProbability());
    }
    return root;
  }

  /**
   * Samples of the closed iterations: those used by an update and those that had no usable result.
   */
  static long samplesUsed(SearchLog log) {
    long n = 0;
    for (DistributionUpdate u : log.updates()) {
      n += u.getSamplesUsed() + u.getSamplesMissing();
    }
    return n;
  }

  public static String toJson(ObjectNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void putNullable(ObjectNode node, String name, Double value) {
    if (value == null) {
      node.putNull(name);
    } else {
      node.put(name, value);
    }
  }
}
