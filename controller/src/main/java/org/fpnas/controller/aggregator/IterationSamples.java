package org.fpnas.controller.aggregator;

import java.time.Duration;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.fpnas.client.fold.SearchModels;
import org.fpnas.client.wire.WireConversions;
import org.fpnas.controller.internals.ControllerMetrics;
import org.fpnas.controller.internals.DispatchEvents;
import org.fpnas.controller.internals.Outgoing;
import org.fpnas.controller.internals.PoolPacing;
import org.fpnas.controller.internals.Samples;
import org.fpnas.controller.internals.TeamLimits;
import org.fpnas.core.Distribution;
import org.fpnas.schemas.Codecs;
import org.fpnas.schemas.Topics;
import org.fpnas.schemas.avro.ArchitectureSample;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.SearchSpec;

/**
 * Sends the samples the aggregator draws. An iteration's K samples are drawn by the aggregator in
 * the processor call that publishes the iteration's distribution, so that the distribution, its
 * samples and the store changes that open the iteration commit in one transaction: an iteration is
 * sampled once and completely, also across restarts, and an iteration boundary waits for one commit
 * instead of two or three in series. Each sample is a pure function of (seed, iteration, index)
 * ({@link Samples}).
 *
 * <p>Unpaced, a team without limits gets its samples straight on its samples topic; otherwise they
 * go, keyed by team, to the dispatcher ({@value Topics#DISPATCH_SAMPLES_TOPIC}), which publishes
 * them within the team's limits and share of the pool. A search's end goes to the dispatcher too,
 * to free its slots. In the asynchronous schedule the aggregator draws samples one at a time
 * ({@link AsyncSchedule}) and sends each here.
 */
final class IterationSamples {
  /** Samples for a team's samples topic, placed by {@code SamplePlacement}. */
  static final String SAMPLES_SINK = "samples";

  /** Samples and search ends for the dispatcher, keyed by team. */
  static final String DISPATCH_SINK = "dispatch-samples";

  private final Codecs codecs;
  private final PoolPacing pacing;
  private final ControllerMetrics metrics;
  private ProcessorContext<String, Outgoing> context;
  private ReadOnlyKeyValueStore<String, String> teamSettings;

  IterationSamples(Codecs codecs, PoolPacing pacing, ControllerMetrics metrics) {
    this.codecs = codecs;
    this.pacing = pacing;
    this.metrics = metrics;
  }

  void init(ProcessorContext<String, Outgoing> context) {
    this.context = context;
    this.teamSettings = context.getStateStore(TeamLimits.STORE);
  }

  /**
   * Draws and sends the samples of the distribution's iteration; {@code causeMs} is the timestamp
   * of the event that opened it (for iterations after the first, the result that closed the last).
   */
  void draw(SearchSpec spec, SearchModels.Model model, DistributionUpdate update, long causeMs) {
    Distribution distribution = WireConversions.distribution(model.space(), update);
    String team = spec.getTeam();
    long now = context.currentSystemTimeMs();
    boolean direct = direct(team);
    for (int index = 0; index < update.getSampleCount(); index++) {
      send(Samples.of(spec, model.fpnas(), distribution, update, index, 1, now), direct, causeMs);
    }
    if (update.getIteration() > 0) {
      // The time from the result that closed the last iteration to this one's samples.
      metrics.controlLatency(team, Duration.ofMillis(now - causeMs));
    }
  }

  /** Sends one sample of the asynchronous schedule, drawn by the caller. */
  void send(ArchitectureSample sample, long causeMs) {
    send(sample, direct(sample.getTeam()), causeMs);
  }

  /** An asynchronous sample given up after its last attempt: the dispatcher frees its slot. */
  void givenUp(ArchitectureSample sample, long timestamp) {
    if (!direct(sample.getTeam())) {
      toDispatcher(sample.getTeam(), DispatchEvents.givenUp(sample), timestamp);
    }
  }

  /** Unpaced, a team without limits skips the dispatcher and its extra transaction. */
  private boolean direct(String team) {
    return !pacing.on() && TeamLimits.unlimited(TeamLimits.of(teamSettings, team));
  }

  private void send(ArchitectureSample sample, boolean direct, long causeMs) {
    String topic = Topics.forTeam(sample.getTeam()).samples();
    byte[] payload = codecs.samples().serialize(topic, sample);
    if (direct) {
      context.forward(
          new Record<>(sample.getSampleId(), new Outgoing(topic, payload), sample.getCreatedAtMs()),
          SAMPLES_SINK);
    } else {
      toDispatcher(sample.getTeam(), DispatchEvents.sample(sample, payload), causeMs);
    }
  }

  /** A search finished or was cancelled: the dispatcher frees its slots (a repeat is harmless). */
  void ended(String team, String searchId, long timestamp) {
    toDispatcher(team, DispatchEvents.ended(team, searchId), timestamp);
  }

  private void toDispatcher(String team, byte[] event, long timestamp) {
    context.forward(
        new Record<>(team, new Outgoing(Topics.DISPATCH_SAMPLES_TOPIC, event), timestamp),
        DISPATCH_SINK);
  }
}
