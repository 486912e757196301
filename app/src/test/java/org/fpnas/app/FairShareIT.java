package org.fpnas.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fpnas.controller.ControllerService;
import org.fpnas.controller.client.SearchClient;
import org.fpnas.controller.client.SearchRequest;
import org.fpnas.evaluator.EvaluatorService;
import org.fpnas.schemas.SchemaRegistryClient;
import org.fpnas.schemas.Topics;
import org.fpnas.schemas.avro.SearchSpec;
import org.fpnas.testkit.KafkaInfra;
import org.fpnas.testkit.RealKafka;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small search of one team next to a large one of another, with 2 and with 8 evaluators. Paced
 * (the controller's default), the dispatcher keeps each team to its share of the evaluator pool, so
 * the small one waits for little of the large one's backlog, even with evaluators that serve what
 * they hold in arrival order; unpaced, with such evaluators, it waits behind all of it.
 */
@RealKafka
class FairShareIT {
  private static final Logger LOG = LoggerFactory.getLogger(FairShareIT.class);
  private static final Duration TIMEOUT = Duration.ofMinutes(4);
  private static final int LARGE_ITERATIONS = 8;

  /**
   * Paced, the small search takes at most this many times its time alone. Not the 1.2x:
   * with a team alone capped at the pool's window as well, the paced small search took 0.67x-1.05x
   * its time alone with 2 evaluators and 1.47x-1.48x with 8 on the loaded 2-core machine (README,
   * "Fair share across the pool"), what is left being the evaluators' arrival order; unpaced it
   * took 2.6x-7.8x.
   */
  private static final double PACED_BOUND = 2.0;

  private final KafkaInfra infra;
  private final SchemaRegistryClient registry;

  @TempDir Path dir;

  FairShareIT(KafkaInfra infra) {
    this.infra = infra;
    this.registry = new SchemaRegistryClient(infra.schemaRegistryUrl());
  }

  /**
   * With {@code evaluators} workers; the large search's K keeps its backlog long next to the pool
   * (24 samples per evaluator with 2, 12 with 8), so that unpaced the small one clearly waits.
   */
  @ParameterizedTest(name = "{0} evaluators, large K = {1}")
  @CsvSource({"2, 48", "8, 96"})
  void aSmallSearchNextToALargeOneTakesAboutItsTimeAloneWhenPacedAndLongerUnpaced(
      int evaluators, int largeK) {
    Scenario scenario = new Scenario(evaluators, largeK);
    double alone;
    Run paced;
    Run unpaced;
    try (SearchClient client = new SearchClient(infra.bootstrapServers(), registry)) {
      try (ControllerService controller = controller(true)) {
        alone = run(client, scenario, false).smallSeconds();
        paced = run(client, scenario, true);
      }
      try (ControllerService controller = controller(false)) {
        unpaced = run(client, scenario, true);
      }
    }
    LOG.info(
        "fair share, {} evaluators, large K = {}: small search alone {}s, next to the large search"
            + " {}s paced, {}s unpaced (x{} and x{} its time alone; evaluators in arrival order);"
            + " the large search alone: first iteration {}s paced, {}s unpaced; mean iteration after"
            + " the small search {}s paced, {}s unpaced",
        evaluators,
        largeK,
        round(alone),
        round(paced.smallSeconds()),
        round(unpaced.smallSeconds()),
        round(paced.smallSeconds() / alone),
        round(unpaced.smallSeconds() / alone),
        round(paced.largeFirstIteration()),
        round(unpaced.largeFirstIteration()),
        round(paced.largeIterationAlone()),
        round(unpaced.largeIterationAlone()));
    assertTrue(
        paced.smallSeconds() < unpaced.smallSeconds(),
        "pacing serves the small search sooner: "
            + paced.smallSeconds()
            + "s vs "
            + unpaced.smallSeconds()
            + "s");
    assertTrue(
        paced.smallSeconds() <= PACED_BOUND * alone,
        "paced, the small search takes at most "
            + PACED_BOUND
            + "x its time alone: "
            + paced.smallSeconds()
            + "s vs "
            + alone
            + "s alone");
  }

  private ControllerService controller(boolean pacing) {
    return new ControllerService(infra.bootstrapServers(), registry)
        .stateDir(dir.resolve("streams"))
        .poolPacing(pacing)
        .start();
  }

  /**
   * Runs team B's small search (alone, or while team A's large one runs): its duration, and (with
   * the large one) the large search's mean iteration time once B is done.
   */
  private Run run(SearchClient client, Scenario scenario, boolean withLarge) {
    String suffix = Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    // Topics first, so that the evaluators subscribe to them from the start (no discovery in the
    // timing).
    client.ensureTopics("big-" + suffix);
    client.ensureTopics("small-" + suffix);
    try (EvaluatorService evaluators =
        new EvaluatorService(infra.bootstrapServers(), registry)
            .workers(scenario.evaluators())
            .fairShare(false)
            .idPrefix("fair-" + suffix)
            .start()) {
      // Every worker in the group with its partitions: the clock must not run through rebalances.
      EvaluatorGroup.awaitStable(
          infra.bootstrapServers(),
          scenario.evaluators(),
          List.of(
              Topics.forTeam("big-" + suffix).samples(),
              Topics.forTeam("small-" + suffix).samples()),
          Topics.DEFAULT_SAMPLE_PARTITIONS,
          TIMEOUT);
      // Team A's search goes first in every case, so that the evaluators have joined their group
      // and are busy (or, alone, idle again) when the clock starts: large, or a one-iteration
      // primer.
      long submitted = System.nanoTime();
      SearchSpec a =
          client.submit(
              request(
                  "big-" + suffix,
                  withLarge
                      ? Map.of(
                          "fixedK",
                          Integer.toString(scenario.largeK()),
                          "maxIterations",
                          Integer.toString(LARGE_ITERATIONS))
                      : Map.of("fixedK", "2", "maxIterations", "1")));
      SearchProbe large =
          new SearchProbe(
              infra.bootstrapServers(), registry, a.getTeam(), a.getSearchId(), TIMEOUT);
      double largeFirst = Double.NaN;
      if (withLarge) {
        large.awaitIteration(1, TIMEOUT);
        largeFirst = (System.nanoTime() - submitted) / 1e9;
      } else {
        large.awaitDone();
      }
      long start = System.nanoTime();
      SearchSpec b =
          client.submit(request("small-" + suffix, Map.of("fixedK", "4", "maxIterations", "6")));
      new SearchProbe(infra.bootstrapServers(), registry, b.getTeam(), b.getSearchId(), TIMEOUT)
          .awaitDone();
      double seconds = (System.nanoTime() - start) / 1e9;
      double largeAlone = withLarge ? iterationSecondsOnceAlone(large) : Double.NaN;
      large.awaitDone();
      return new Run(seconds, largeFirst, largeAlone);
    }
  }

  /**
   * The large search's mean iteration time over the iterations that started after the small search
   * ended (the cost of pacing a team alone); NaN when none did.
   */
  private static double iterationSecondsOnceAlone(SearchProbe large) {
    int reached = 0;
    while (reached < LARGE_ITERATIONS && reachedAlready(large, reached + 1)) {
      reached++;
    }
    // Iteration reached + 1 ran partly next to the small search; the ones after it ran alone.
    if (reached + 2 > LARGE_ITERATIONS) {
      return Double.NaN;
    }
    large.awaitIteration(reached + 1, TIMEOUT);
    long from = System.nanoTime();
    large.awaitIteration(LARGE_ITERATIONS, TIMEOUT);
    return (System.nanoTime() - from) / 1e9 / (LARGE_ITERATIONS - reached - 1);
  }

  private static boolean reachedAlready(SearchProbe probe, int iteration) {
    try {
      probe.awaitIteration(iteration, Duration.ZERO);
      return true;
    } catch (AssertionError notYet) {
      return false;
    }
  }

  /** The pool's size and the large search's K. */
  private record Scenario(int evaluators, int largeK) {}

  /**
   * The small search's duration; the large one's first iteration (alone, from its submission) and
   * its mean iteration once alone again (NaN if none).
   */
  private record Run(double smallSeconds, double largeFirstIteration, double largeIterationAlone) {}

  private static SearchRequest request(String team, Map<String, String> settings) {
    Map<String, String> all = new HashMap<>(Map.of("learningRate", "0.1", "kMin", "2"));
    all.putAll(settings);
    return new SearchRequest("small-space.yaml", TextFiles.example("small-space.yaml"))
        .landscape(TextFiles.example("small-landscape.yaml"))
        .team(team)
        .setAll(all)
        .evaluatorSetting("simulatedMs", "100");
  }

  private static String round(double v) {
    return Double.isNaN(v) ? "n/a" : Double.toString(Math.round(v * 100) / 100.0);
  }
}
