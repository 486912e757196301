package org.fpnas.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Locale;

/** The demo's answer in words, from the result JSON of {@code fpnas result}. */
final class DemoReport {
  private DemoReport() {}

  /**
   * Prints what the search found: the architecture, its probability and cost, and what the result
   * has beyond that (FLOPs, the tabular benchmark's rank and random-search reference, the regret).
   */
  static void print(PrintWriter out, ObjectNode result, long iterations, String stopReason) {
    out.println();
    out.println(
        "Search "
            + result.get("searchId").asText()
            + " finished after "
            + iterations
            + " iterations ("
            + stopReason
            + ").");
    out.println("Found architecture: " + result.get("finalArchitectureString").asText());
    result
        .get("finalArchitecture")
        .properties()
        .forEach(layer -> out.println("  " + layer.getKey() + ": " + layer.getValue()));
    out.printf(
        Locale.ROOT,
        "Probability %.4f, cost %s, samples evaluated %d%n",
        result.get("finalProbability").asDouble(),
        result.get("finalCost"),
        result.get("samplesEvaluated").asLong());
    if (result.has("finalParameters")) {
      out.printf(
          Locale.ROOT,
          "FLOPs %.3f M multiply-adds per image, %d parameters%n",
          result.get("finalCost").asDouble() / 1e6,
          result.get("finalParameters").asLong());
    }
    if (result.has("finalHeldOut")) {
      printTabular(out, result);
    }
    if (result.has("finalRegret")) {
      out.printf(
          Locale.ROOT,
          "Regret against the landscape's best architecture: %.4f%n",
          result.get("finalRegret").asDouble());
    }
    out.flush();
  }

  private static void printTabular(PrintWriter out, ObjectNode result) {
    JsonNode table = result.get("tabular");
    JsonNode random = table.get("randomSearch");
    out.printf(
        Locale.ROOT,
        "%s of the answer: %.2f, rank %d of %d (optimum %.2f)%n",
        table.get("heldOutMetric").asText(),
        result.get("finalHeldOut").asDouble(),
        result.get("finalRank").asInt(),
        table.get("architectures").asInt(),
        table.get("optimum").asDouble());
    if (random.has("meanHeldOut")) {
      out.printf(
          Locale.ROOT,
          "Random search with the same %d queries: %.2f ± %.2f (mean rank %.0f, %d runs)%n",
          random.get("queries").asLong(),
          random.get("meanHeldOut").asDouble(),
          random.get("sdHeldOut").asDouble(),
          random.get("meanRank").asDouble(),
          random.get("runs").asInt());
    }
  }
}
