package org.fpnas.controller;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.fpnas.schemas.RateLimitedLog;
import org.fpnas.schemas.TeamSettings;
import org.fpnas.schemas.Topics;
import org.fpnas.schemas.avro.ArchitectureSample;
import org.fpnas.schemas.avro.EvaluationResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what frees or changes a team's slots into dispatcher events keyed by team: results (from
 * every team's evaluations), samples the aggregator dispatched again, and team settings. A record
 * it cannot read is skipped here: the aggregator dead-letters unreadable results, and a bad team
 * record keeps the team's previous limits.
 */
final class DispatchInputs implements Processor<String, byte[], String, byte[]> {
  private static final Logger LOG = LoggerFactory.getLogger(DispatchInputs.class);

  private final Codecs codecs;
  private final RateLimitedLog skipped = new RateLimitedLog(LOG, 10);
  private ProcessorContext<String, byte[]> context;

  DispatchInputs(Codecs codecs) {
    this.codecs = codecs;
  }

  @Override
  public void init(ProcessorContext<String, byte[]> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, byte[]> record) {
    String topic = context.recordMetadata().map(m -> m.topic()).orElse("");
    try {
      if (topic.equals(TeamSettings.TOPIC)) {
        onSettings(record);
      } else if (topic.equals(AggregatorTopology.REDISPATCH_TOPIC)) {
        ArchitectureSample s = codecs.samples().deserialize(Topics.forTeam(Topics.DEFAULT_TEAM).samples(), record.value());
        forward(s.getTeam(), DispatchEvents.redispatch(s, record.value()), record);
      } else {
        String team = Topics.teamOf(topic);
        EvaluationResult r = codecs.results().deserialize(topic, record.value());
        if (team != null && r != null) {
          forward(team, DispatchEvents.result(team, r), record);
        }
      }
    } catch (RuntimeException e) {
      skipped.warn("dispatcher: skipping unreadable record of {} (key {}): {}", topic, record.key(), e.toString());
    }
  }

  private void onSettings(Record<String, byte[]> record) {
    if (record.key() == null) {
      return;
    }
    // A deleted team (tombstone) has no limits any more.
    TeamSettings settings = record.value() == null ? TeamSettings.defaults(record.key())
        : TeamSettings.fromJson(new String(record.value(), StandardCharsets.UTF_8));
    if (!settings.team().equals(record.key())) {
      throw new IllegalArgumentException("record of team '" + settings.team() + "' under key '" + record.key() + "'");
    }
    forward(settings.team(), DispatchEvents.settings(settings), record);
  }

  private void forward(String team, byte[] event, Record<String, byte[]> cause) {
    context.forward(new Record<>(team, event, cause.timestamp()));
  }
}
