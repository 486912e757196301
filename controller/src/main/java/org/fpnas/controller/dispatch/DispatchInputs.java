package org.fpnas.controller.dispatch;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.fpnas.cluster.RateLimitedLog;
import org.fpnas.controller.internals.DispatchEvents;
import org.fpnas.controller.internals.PoolPacing;
import org.fpnas.controller.internals.RegistryOutage;
import org.fpnas.controller.internals.TeamLimits;
import org.fpnas.schemas.Codecs;
import org.fpnas.schemas.RegistryUnavailableException;
import org.fpnas.schemas.Topics;
import org.fpnas.schemas.avro.ArchitectureSample;
import org.fpnas.schemas.avro.EvaluationResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what frees a team's slots or needs one into dispatcher events keyed by team: results (of
 * every team when the pool is paced, of teams with limits otherwise) and samples the aggregator
 * dispatched again. A record it cannot read is skipped here: the aggregator dead-letters unreadable
 * results.
 */
final class DispatchInputs implements Processor<String, byte[], String, byte[]> {
  private static final Logger LOG = LoggerFactory.getLogger(DispatchInputs.class);

  private final Codecs codecs;
  private final PoolPacing pacing;
  private final RateLimitedLog skipped = new RateLimitedLog(LOG, 10);
  private ProcessorContext<String, byte[]> context;
  private ReadOnlyKeyValueStore<String, String> teamSettings;

  public DispatchInputs(Codecs codecs, PoolPacing pacing) {
    this.codecs = codecs;
    this.pacing = pacing;
  }

  @Override
  public void init(ProcessorContext<String, byte[]> context) {
    this.context = context;
    this.teamSettings = context.getStateStore(TeamLimits.STORE);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    String topic = context.recordMetadata().map(m -> m.topic()).orElse("");
    try {
      if (topic.equals(Topics.REDISPATCH_TOPIC)) {
        ArchitectureSample s =
            codecs
                .samples()
                .deserialize(Topics.forTeam(Topics.DEFAULT_TEAM).samples(), record.value());
        forward(s.getTeam(), DispatchEvents.redispatch(s, record.value()), record);
      } else {
        String team = Topics.teamOf(topic);
        // Unpaced, only a team with limits has slots to free; the others' results would only load
        // the dispatcher. Asked before the decode, which is then spent only on results that go on
        // (an unreadable one of another team is the aggregator's to dead-letter).
        if (team == null || !hasSlotsToFree(team)) {
          return;
        }
        EvaluationResult r = codecs.results().deserialize(topic, record.value());
        if (r != null) {
          forward(team, DispatchEvents.result(team, r), record);
        }
      }
    } catch (RegistryUnavailableException e) {
      // A result skipped here would hold its slot for good.
      throw RegistryOutage.retryLater(e);
    } catch (RuntimeException e) {
      skipped.warn(
          "dispatcher: skipping unreadable record of {} (key {}): {}",
          topic,
          record.key(),
          e.toString());
    }
  }

  private boolean hasSlotsToFree(String team) {
    return pacing.on() || !TeamLimits.unlimited(TeamLimits.of(teamSettings, team));
  }

  private void forward(String team, byte[] event, Record<String, byte[]> cause) {
    context.forward(new Record<>(team, event, cause.timestamp()));
  }
}
