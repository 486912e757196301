package org.fpnas.controller.internals;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.fpnas.schemas.Topics;

/**
 * Where a sample goes on its team's samples topic: sample {@code k} of iteration {@code t} of a
 * search to partition {@code (offset(search, t) + k) mod P}, with {@code offset} the murmur2 hash
 * of {@code "<search>/<t>"}. An iteration's K samples then cover the P partitions evenly (each gets
 * {@code floor(K/P)} or {@code ceil(K/P)}), where hashing each sample id had put up to 5 of 32 on
 * one partition; and the offset moves with search and iteration, so that small iterations and
 * concurrent searches do not all start on partition 0. A pure function of the sample id: a sample
 * dispatched again lands where it did the first time.
 *
 * <p>Records for other topics (dead letters, admissions) and keys that are not sample ids keep
 * Kafka's default partitioner.
 */
public final class SamplePlacement implements StreamPartitioner<String, Outgoing> {
  // "removal": StreamPartitioner's one abstract method is the one Kafka marks for removal; the
  // method that replaces it is a default method that calls this one.
  @SuppressWarnings("removal")
  @Override
  public Optional<Set<Integer>> partitions(
      String topic, String key, Outgoing value, int numPartitions) {
    if (topic == null || !Topics.SAMPLES_PATTERN.matcher(topic).matches()) {
      return Optional.empty();
    }
    int last = key == null ? -1 : key.lastIndexOf('/');
    int middle = last <= 0 ? -1 : key.lastIndexOf('/', last - 1);
    if (middle <= 0) {
      return Optional.empty();
    }
    try {
      int iteration = Integer.parseInt(key.substring(middle + 1, last));
      int index = Integer.parseInt(key.substring(last + 1));
      return Optional.of(
          Set.of(partition(key.substring(0, middle), iteration, index, numPartitions)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * The partition of sample {@code index} of {@code iteration} on a topic of {@code partitions}.
   */
  public static int partition(String searchId, int iteration, int index, int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException("a topic has at least one partition, got " + partitions);
    }
    if (iteration < 0 || index < 0) {
      throw new IllegalArgumentException(
          "iteration and index are 0 or more, got " + iteration + " and " + index);
    }
    int offset =
        Utils.toPositive(
                Utils.murmur2((searchId + "/" + iteration).getBytes(StandardCharsets.UTF_8)))
            % partitions;
    return (int) ((offset + (long) index) % partitions);
  }
}
