package org.fpnas.controller.internals;

import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.fpnas.cluster.RateLimitedLog;
import org.fpnas.schemas.Codecs;
import org.fpnas.schemas.DeadLetterRecords;
import org.fpnas.schemas.Topics;
import org.fpnas.schemas.avro.DeadLetter;
import org.slf4j.Logger;

/**
 * Sends records that cannot be used to the team's dead letter queue, with the reason, and logs
 * them.
 */
public final class DeadLetters {
  public static final String SINK = "dead-letters";

  private final String service;
  private final String sink;
  private final Codecs codecs;
  private final RateLimitedLog log;
  private final ControllerMetrics metrics;

  /** Dead letters to the child processor named {@link #SINK}. */
  public DeadLetters(String service, Codecs codecs, Logger log, ControllerMetrics metrics) {
    this(service, codecs, log, SINK, metrics);
  }

  /**
   * Dead letters to the named child, or to every child when {@code sink} is null (a DSL processor).
   */
  public DeadLetters(
      String service, Codecs codecs, Logger log, String sink, ControllerMetrics metrics) {
    this.service = service;
    this.sink = sink;
    this.codecs = codecs;
    this.log = new RateLimitedLog(log, 10);
    this.metrics = metrics;
  }

  public void send(
      ProcessorContext<String, Outgoing> context,
      Record<String, byte[]> record,
      String reason,
      Throwable error) {
    RecordMetadata meta = context.recordMetadata().orElse(null);
    String topic = meta == null ? "unknown" : meta.topic();
    log.warn(
        "{}: rejected record of {} (partition {}, offset {}, key {}): {}",
        service,
        topic,
        meta == null ? -1 : meta.partition(),
        meta == null ? -1 : meta.offset(),
        record.key(),
        reason);
    String dlq = DeadLetterRecords.queueFor(topic);
    if (dlq == null) {
      return;
    }
    metrics.deadLetter(Topics.teamOf(topic), service, error);
    DeadLetter letter =
        DeadLetterRecords.of(
            topic,
            meta.partition(),
            meta.offset(),
            record.key(),
            record.value(),
            reason,
            error,
            service,
            context.currentSystemTimeMs());
    Record<String, Outgoing> out =
        new Record<>(
            record.key(),
            new Outgoing(dlq, codecs.deadLetters().serialize(dlq, letter)),
            record.timestamp());
    if (sink == null) {
      context.forward(out);
    } else {
      context.forward(out, sink);
    }
  }
}
