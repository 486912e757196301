package org.fpnas.controller.sampler;

import java.time.Duration;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.fpnas.controller.dispatch.PoolPacing;
import org.fpnas.controller.dispatch.internals.DispatchEvents;
import org.fpnas.controller.dispatch.internals.TeamLimits;
import org.fpnas.controller.fold.SearchModels;
import org.fpnas.controller.fold.WireConversions;
import org.fpnas.controller.internals.ControllerMetrics;
import org.fpnas.controller.internals.DeadLetters;
import org.fpnas.controller.internals.Outgoing;
import org.fpnas.core.Distribution;
import org.fpnas.schemas.Codecs;
import org.fpnas.schemas.Topics;
import org.fpnas.schemas.avro.ArchitectureSample;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.SearchSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's sampler: for every new distribution of a running search, draws that iteration's
 * K architectures and publishes them, or, for a team with limits, hands them to the team's
 * dispatcher, which publishes them within the limits. Consuming the distribution, recording the
 * iteration as sampled and handing the K samples over commit in one transaction (exactly-once), so
 * an iteration is sampled once and completely, also across restarts.
 */
final class SamplerProcessor implements Processor<String, byte[], String, Outgoing> {
  private static final Logger LOG = LoggerFactory.getLogger(SamplerProcessor.class);

  private final Codecs codecs;
  private final DeadLetters deadLetters;
  private final ControllerMetrics metrics;
  private final PoolPacing pacing;
  private final SearchModels models = new SearchModels();
  private ProcessorContext<String, Outgoing> context;
  private KeyValueStore<String, SearchSpec> specs;
  private KeyValueStore<String, Integer> sampled;
  private KeyValueStore<String, DistributionUpdate> waiting;
  private ReadOnlyKeyValueStore<String, String> teamSettings;

  SamplerProcessor(Codecs codecs, ControllerMetrics metrics, PoolPacing pacing) {
    this.codecs = codecs;
    this.metrics = metrics;
    this.pacing = pacing;
    this.deadLetters = new DeadLetters("controller", codecs, LOG, null, metrics);
  }

  @Override
  public void init(ProcessorContext<String, Outgoing> context) {
    this.context = context;
    this.specs = context.getStateStore(SamplerTopology.SPECS);
    this.sampled = context.getStateStore(SamplerTopology.SAMPLED);
    this.waiting = context.getStateStore(SamplerTopology.WAITING);
    this.teamSettings = context.getStateStore(TeamLimits.STORE);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    String topic = context.recordMetadata().map(m -> m.topic()).orElse("");
    try {
      if (Topics.SEARCHES_PATTERN.matcher(topic).matches()) {
        SearchSpec spec = codecs.specs().deserialize(topic, record.value());
        if (spec != null) {
          specs.put(spec.getSearchId(), spec);
          DistributionUpdate pending = waiting.get(spec.getSearchId());
          if (pending != null) {
            waiting.delete(spec.getSearchId());
            sample(spec, pending, record);
          }
        }
      } else {
        DistributionUpdate update = codecs.updates().deserialize(topic, record.value());
        SearchSpec spec = specs.get(update.getSearchId());
        if (spec == null) {
          // The aggregator only publishes after reading the spec, so it is on its way.
          waiting.put(update.getSearchId(), update);
        } else {
          sample(spec, update, record);
        }
      }
    } catch (RuntimeException e) {
      deadLetters.send(context, record, e.getMessage() == null ? e.toString() : e.getMessage(), e);
    }
  }

  private void sample(SearchSpec spec, DistributionUpdate update, Record<String, byte[]> cause) {
    if (update.getDone() || spec.getCancelled()) {
      // Frees the search's slots in the dispatcher; repeated ends are harmless there.
      forwardToDispatcher(
          spec.getTeam(), DispatchEvents.ended(spec.getTeam(), spec.getSearchId()), cause);
      return;
    }
    Integer last = sampled.get(spec.getSearchId());
    if (last != null && last >= update.getIteration()) {
      LOG.debug(
          "search {} iteration {} already sampled", spec.getSearchId(), update.getIteration());
      return;
    }
    SearchModels.Model model = models.of(spec);
    Distribution distribution = WireConversions.distribution(model.space(), update);
    long seed = model.hyperparameters().seed();
    String topic = Topics.forTeam(spec.getTeam()).samples();
    long now = context.currentSystemTimeMs();
    // Unpaced, a team without limits skips the dispatcher and its extra hop (a repartition topic,
    // one more transaction): its samples go out as they are drawn.
    boolean direct =
        !pacing.on() && TeamLimits.unlimited(TeamLimits.of(teamSettings, spec.getTeam()));
    for (int index = 0; index < update.getSampleCount(); index++) {
      ArchitectureSample sample = Samples.of(spec, seed, distribution, update, index, 1, now);
      byte[] payload = codecs.samples().serialize(topic, sample);
      if (direct) {
        context.forward(new Record<>(sample.getSampleId(), new Outgoing(topic, payload), now));
      } else {
        forwardToDispatcher(spec.getTeam(), DispatchEvents.sample(sample, payload), cause);
      }
    }
    sampled.put(spec.getSearchId(), update.getIteration());
    // Evaluators see the samples only once the transaction commits: ask for it now rather than at
    // the next commit interval (exactly-once is the same, the commit only comes sooner).
    context.commit();
    if (update.getIteration() > 0) {
      // The aggregator stamps an update with the time of the result that completed its iteration.
      metrics.controlLatency(spec.getTeam(), Duration.ofMillis(now - cause.timestamp()));
    }
  }

  /** To the team's dispatcher, which publishes the samples within the team's limits. */
  private void forwardToDispatcher(String team, byte[] event, Record<String, byte[]> cause) {
    context.forward(
        new Record<>(team, new Outgoing(SamplerTopology.TO_DISPATCHER, event), cause.timestamp()));
  }
}
