package org.fpnas.controller.aggregator;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.fpnas.cluster.RateLimitedLog;
import org.fpnas.controller.internals.DeadLetters;
import org.fpnas.controller.internals.Outgoing;
import org.fpnas.schemas.SearchPartitions;
import org.slf4j.Logger;

/**
 * The aggregator's check that a record keyed by search arrived on the partition of its search
 * (murmur2 of the key, {@link SearchPartitions}), so that it does not depend on the producer's
 * partitioner: a misplaced record is forwarded, bytes and key unchanged, to the partition its task
 * reads, and processed there. Only misplaced records pay the hop. A forwarded record carries the
 * header {@value #FORWARDED_FROM}; one that is misplaced again goes to the dead letter queue.
 */
final class Placement {
  static final String SINK = "forwarded";
  static final String FORWARDED_FROM = SearchPartitions.FORWARDED_FROM;

  private final PartitionCounts counts;
  private final DeadLetters deadLetters;
  private final RateLimitedLog log;

  /** Searches whose misplaced records were reported: one warning per search, not per record. */
  private final Set<String> warned = new HashSet<>();

  private static final int WARNED_SEARCHES = 10_000;

  Placement(PartitionCounts counts, DeadLetters deadLetters, Logger log) {
    this.counts = counts;
    this.deadLetters = deadLetters;
    this.log = new RateLimitedLog(log, 10);
  }

  /**
   * Whether the record belongs to another partition; it has then been forwarded there (or dead
   * lettered) and must not be processed here.
   */
  boolean moved(
      ProcessorContext<String, Outgoing> context, Record<String, byte[]> record, String searchId) {
    RecordMetadata meta = context.recordMetadata().orElse(null);
    if (meta == null) {
      return false;
    }
    int partitions = counts.of(meta.topic(), meta.partition());
    if (partitions < 1) {
      return false; // unknown right now: handled here, as before the check existed
    }
    int expected = SearchPartitions.of(searchId, partitions);
    if (meta.partition() == expected) {
      return false;
    }
    Header forwarded = record.headers().lastHeader(FORWARDED_FROM);
    if (forwarded != null) {
      deadLetters.send(
          context,
          record,
          "record of search "
              + searchId
              + " is on partition "
              + meta.partition()
              + " of "
              + meta.topic()
              + " but belongs on partition "
              + expected
              + " (murmur2 of its key, "
              + partitions
              + " partitions), and it was forwarded already from "
              + new String(forwarded.value(), StandardCharsets.UTF_8)
              + ": has the topic's partition count changed?",
          null);
      return true;
    }
    String origin = meta.topic() + "-" + meta.partition() + "@" + meta.offset();
    if (warned.add(searchId)) {
      log.warn(
          "records of search {} arrive on another partition than its search's (first: {}, belongs on {}, "
              + "murmur2 of its key); they are forwarded there. A producer with Java's default partitioner (librdkafka: "
              + "partitioner=murmur2_random) saves this hop",
          searchId,
          origin,
          expected);
    }
    if (warned.size() > WARNED_SEARCHES) {
      warned.clear(); // a bound, not a record: after it, a search may be named once more
    }
    RecordHeaders headers = new RecordHeaders(record.headers().toArray());
    headers.add(FORWARDED_FROM, origin.getBytes(StandardCharsets.UTF_8));
    context.forward(
        new Record<>(
            searchId, new Outgoing(meta.topic(), record.value()), record.timestamp(), headers),
        SINK);
    return true;
  }
}
