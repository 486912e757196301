package org.fpnas.evaluator.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** An evaluator service's own metrics (Micrometer), summed over its workers. */
public final class EvaluatorMetrics {
  private final MeterRegistry registry;
  private final Map<String, AtomicInteger> waiting = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

  public EvaluatorMetrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  /** Metrics that go nowhere (a registry without backends). */
  public static EvaluatorMetrics none() {
    return new EvaluatorMetrics(new CompositeMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  /**
   * Samples of the team that this service holds in its queues (taken from Kafka, not started): +1
   * or -1.
   */
  public void waiting(String team, int delta) {
    gauge(
            waiting,
            "fpnas.samples.waiting",
            "Samples this evaluator service holds, fetched but not started",
            team)
        .addAndGet(delta);
  }

  /** Samples of the team being evaluated now: +1 or -1. */
  void inFlight(String team, int delta) {
    gauge(
            inFlight,
            "fpnas.samples.in.flight",
            "Samples this evaluator service is evaluating now",
            team)
        .addAndGet(delta);
  }

  /** A sample was evaluated (OK or FAILED) by an evaluator of this kind. */
  void evaluated(String team, String kind, String status, Duration took) {
    Counter.builder("fpnas.evaluations")
        .description("Samples evaluated, by team, evaluator kind and result status")
        .tags("team", team, "kind", kind, "status", status)
        .register(registry)
        .increment();
    Timer.builder("fpnas.evaluation.duration")
        .description("Time to evaluate one sample")
        .tags("kind", kind, "status", status)
        .publishPercentileHistogram()
        .register(registry)
        .record(took);
  }

  /**
   * A sample went to its team's dead letter queue: it could not be read ({@code undecodable}) or
   * evaluators kept dying on it ({@code delivery-limit}).
   */
  void deadLetter(String team, String reason) {
    Counter.builder("fpnas.dead.letters")
        .description("Records sent to a team's dead letter queue, by reason")
        .tags("team", team, "service", "evaluator", "reason", reason)
        .register(registry)
        .increment();
  }

  private AtomicInteger gauge(
      Map<String, AtomicInteger> values, String name, String description, String team) {
    return values.computeIfAbsent(
        team,
        t -> {
          AtomicInteger value = new AtomicInteger();
          Gauge.builder(name, value, AtomicInteger::get)
              .description(description)
              .tag("team", t)
              .register(registry);
          return value;
        });
  }
}
