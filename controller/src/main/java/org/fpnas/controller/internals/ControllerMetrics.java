package org.fpnas.controller.internals;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.fpnas.schemas.WireFormatException;

/**
 * The controller's own metrics (Micrometer). The aggregator's tasks report the searches they own; a
 * task that moves to another controller takes its searches with it, so the gauges of one process
 * cover the searches it aggregates, and summing over controllers gives the cluster's.
 */
public final class ControllerMetrics {
  /** The search states of {@code fpnas_searches}. */
  public static final String RUNNING = "running";

  public static final String DONE = "done";
  public static final String CANCELLED = "cancelled";

  private final MeterRegistry registry;
  private final Map<String, SearchGauge> searches = new ConcurrentHashMap<>();
  private final Set<String> teams = ConcurrentHashMap.newKeySet();
  private final Map<String, Counter> resultCounters = new ConcurrentHashMap<>();

  /**
   * What the gauges read of one search: its team, state and samples without a result in its current
   * iteration.
   */
  private record SearchGauge(String team, String state, int outstanding) {}

  public ControllerMetrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  /** Metrics that go nowhere (a registry without backends). */
  public static ControllerMetrics none() {
    return new ControllerMetrics(new CompositeMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The aggregator's current view of a search. */
  public void search(
      String searchId, String team, boolean done, String stopReason, int sampleCount, int results) {
    String state = !done ? RUNNING : "cancelled".equals(stopReason) ? CANCELLED : DONE;
    searches.put(
        searchId, new SearchGauge(team, state, done ? 0 : Math.max(0, sampleCount - results)));
    if (!teams.add(team)) {
      return;
    }
    for (String s : new String[] {RUNNING, DONE, CANCELLED}) {
      Gauge.builder(
              "fpnas.searches",
              searches,
              m ->
                  m.values().stream().filter(g -> g.team.equals(team) && g.state.equals(s)).count())
          .description("Searches aggregated by this controller, by team and state")
          .tag("team", team)
          .tag("state", s)
          .register(registry);
    }
    Gauge.builder(
            "fpnas.samples.outstanding",
            searches,
            m ->
                m.values().stream()
                    .filter(s -> s.team.equals(team))
                    .mapToInt(SearchGauge::outstanding)
                    .sum())
        .description(
            "Samples of the current iterations without a result yet: waiting (in the samples topic, the "
                + "dispatcher or an evaluator's queue) or in flight; the backlog to scale evaluators on")
        .tag("team", team)
        .register(registry);
  }

  /** The aggregator's task of this search moved away (or closed). */
  public void forget(String searchId) {
    searches.remove(searchId);
  }

  /** An iteration closed: how long it took from its distribution to its update. */
  public void iterationClosed(String team, Duration took) {
    Counter.builder("fpnas.iterations")
        .description("Iterations closed by the aggregator")
        .tag("team", team)
        .register(registry)
        .increment();
    Timer.builder("fpnas.iteration.duration")
        .description("From an iteration's distribution to the update that closes it")
        .tag("team", team)
        .publishPercentileHistogram()
        .register(registry)
        .record(nonNegative(took));
  }

  /**
   * A result reached the aggregator: used (counted towards its iteration), late, duplicate or
   * invalid.
   */
  public void result(String team, String outcome) {
    // Once per result: the counter is looked up in a map rather than built and registered again.
    resultCounters
        .computeIfAbsent(
            team + '\u0000' + outcome,
            k ->
                Counter.builder("fpnas.results")
                    .description("Evaluation results read by the aggregator, by outcome")
                    .tags("team", team, "outcome", outcome)
                    .register(registry))
        .increment();
  }

  /**
   * The aggregator drew an iteration's samples this long after the result that closed the previous
   * one was produced (its record timestamp).
   */
  public void controlLatency(String team, Duration latency) {
    Timer.builder("fpnas.control.latency")
        .description(
            "From the result that completes an iteration to the next iteration's samples drawn")
        .tag("team", team)
        .publishPercentileHistogram()
        .register(registry)
        .record(nonNegative(latency));
  }

  /** A record went to a dead letter queue. */
  public void deadLetter(String team, String service, Throwable error) {
    Counter.builder("fpnas.dead.letters")
        .description("Records sent to a team's dead letter queue, by reason")
        .tags("team", team, "service", service, "reason", reason(error))
        .register(registry)
        .increment();
  }

  /** A short, bounded reason for a label: the dead letter itself has the full message. */
  public static String reason(Throwable error) {
    if (error == null) {
      return "bad-measurement";
    }
    if (error instanceof WireFormatException) {
      return "undecodable";
    }
    return error instanceof IllegalArgumentException ? "invalid" : "error";
  }

  private static Duration nonNegative(Duration d) {
    return d.isNegative() ? Duration.ZERO : d;
  }
}
