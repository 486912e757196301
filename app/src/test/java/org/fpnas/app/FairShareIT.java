package org.fpnas.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.fpnas.controller.ControllerService;
import org.fpnas.controller.client.SearchClient;
import org.fpnas.controller.client.SearchRequest;
import org.fpnas.evaluator.EvaluatorService;
import org.fpnas.schemas.SchemaRegistryClient;
import org.fpnas.schemas.avro.SearchSpec;
import org.fpnas.testkit.KafkaInfra;
import org.fpnas.testkit.RealKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small search of one team next to a large one of another. Paced (the controller's default), the
 * dispatcher keeps each team to its share of the evaluator pool, so the small one is served about
 * as it would be alone, even by evaluators that serve what they hold in arrival order; unpaced,
 * with such evaluators, it waits behind the large one's backlog.
 */
@RealKafka
class FairShareIT {
  private static final Logger LOG = LoggerFactory.getLogger(FairShareIT.class);
  private static final Duration TIMEOUT = Duration.ofMinutes(4);

  private final KafkaInfra infra;
  private final SchemaRegistryClient registry;

  @TempDir Path dir;

  FairShareIT(KafkaInfra infra) {
    this.infra = infra;
    this.registry = new SchemaRegistryClient(infra.schemaRegistryUrl());
  }

  @Test
  void aSmallSearchNextToALargeOneTakesAboutItsTimeAloneWhenPacedAndLongerUnpaced() {
    double alone;
    double paced;
    double unpaced;
    try (SearchClient client = new SearchClient(infra.bootstrapServers(), registry)) {
      try (ControllerService controller = controller(true)) {
        alone = smallSearchSeconds(client, false);
        paced = smallSearchSeconds(client, true);
      }
      try (ControllerService controller = controller(false)) {
        unpaced = smallSearchSeconds(client, true);
      }
    }
    LOG.info(
        "fair share: small search alone {}s, next to a large search {}s paced, {}s unpaced"
            + " (x{} and x{} its time alone; evaluators in arrival order)",
        round(alone),
        round(paced),
        round(unpaced),
        round(paced / alone),
        round(unpaced / alone));
    assertTrue(
        paced < unpaced,
        "pacing serves the small search sooner: " + paced + "s vs " + unpaced + "s");
  }

  private ControllerService controller(boolean pacing) {
    return new ControllerService(infra.bootstrapServers(), registry)
        .stateDir(dir.resolve("streams"))
        .poolPacing(pacing)
        .start();
  }

  /**
   * Runs team B's small search (alone, or while team A's large one runs) and returns its duration.
   */
  private double smallSearchSeconds(SearchClient client, boolean withLarge) {
    String suffix = Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    // Topics first, so that the evaluators subscribe to them from the start (no discovery in the
    // timing).
    client.ensureTopics("big-" + suffix);
    client.ensureTopics("small-" + suffix);
    try (EvaluatorService evaluators =
        new EvaluatorService(infra.bootstrapServers(), registry)
            .workers(2)
            .fairShare(false)
            .idPrefix("fair-" + suffix)
            .start()) {
      // Team A's search goes first in every case, so that the evaluators have joined their group
      // and are busy (or, alone, idle again) when the clock starts: large, or a one-iteration
      // primer.
      SearchSpec a =
          client.submit(
              request(
                  "big-" + suffix,
                  withLarge
                      ? Map.of("fixedK", "48", "maxIterations", "8")
                      : Map.of("fixedK", "2", "maxIterations", "1")));
      SearchProbe large =
          new SearchProbe(
              infra.bootstrapServers(), registry, a.getTeam(), a.getSearchId(), TIMEOUT);
      if (withLarge) {
        large.awaitIteration(1, TIMEOUT);
      } else {
        large.awaitDone();
      }
      long start = System.nanoTime();
      SearchSpec b =
          client.submit(request("small-" + suffix, Map.of("fixedK", "4", "maxIterations", "6")));
      new SearchProbe(infra.bootstrapServers(), registry, b.getTeam(), b.getSearchId(), TIMEOUT)
          .awaitDone();
      double seconds = (System.nanoTime() - start) / 1e9;
      large.awaitDone();
      return seconds;
    }
  }

  private static SearchRequest request(String team, Map<String, String> settings) {
    Map<String, String> all = new HashMap<>(Map.of("learningRate", "0.1", "kMin", "2"));
    all.putAll(settings);
    return new SearchRequest("small-space.yaml", TextFiles.example("small-space.yaml"))
        .landscape(TextFiles.example("small-landscape.yaml"))
        .team(team)
        .setAll(all)
        .evaluatorSetting("simulatedMs", "100");
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
