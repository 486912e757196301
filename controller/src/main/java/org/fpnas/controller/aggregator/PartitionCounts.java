package org.fpnas.controller.aggregator;

/** How many partitions a topic has, for the aggregator's check of where a record arrived. */
@FunctionalInterface
public interface PartitionCounts {
  /** One partition per topic: what a {@code TopologyTestDriver} has. */
  PartitionCounts SINGLE = (topic, seenPartition) -> 1;

  /**
   * The partition count of the topic, at least {@code seenPartition + 1} (a record was just read
   * there: a smaller count is out of date); 0 when it cannot be learnt now.
   */
  int of(String topic, int seenPartition);
}
