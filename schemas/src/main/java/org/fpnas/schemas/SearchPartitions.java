package org.fpnas.schemas;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * Where a record keyed by its search id belongs: partition {@code murmur2(key) % partitions}, the
 * partition Java's default producer partitioner picks for the key's UTF-8 bytes. The topics keyed
 * by search (searches, evaluations, distributions, admissions) have the same partition count, so
 * one aggregator task sees every event of a search. Clients with another partitioner (librdkafka's
 * default, {@code consistent_random}, is CRC32) put results elsewhere; the aggregator forwards
 * those.
 */
public final class SearchPartitions {
  /**
   * Header of a record the aggregator forwarded to its search's partition: {@code
   * <topic>-<partition>@<offset>} of the original, which stays where the producer put it.
   */
  public static final String FORWARDED_FROM = "fpnas.forwarded-from";

  private SearchPartitions() {}

  /** The partition of a search's records in a topic of {@code partitions} partitions. */
  public static int of(String searchId, int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException("a topic has at least one partition, got " + partitions);
    }
    return Utils.toPositive(Utils.murmur2(searchId.getBytes(StandardCharsets.UTF_8))) % partitions;
  }
}
