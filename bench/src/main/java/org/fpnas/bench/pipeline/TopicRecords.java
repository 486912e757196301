package org.fpnas.bench.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.fpnas.cluster.TopicReader;

/** Reads a whole topic back, committed records only, each value with the broker's append time. */
public final class TopicRecords {
  private TopicRecords() {}

  /**
   * One record's value, when the broker appended it, and where.
   *
   * @param appendedAtMs the LogAppendTime of the record
   * @param partition its partition
   * @param value the decoded value
   */
  public record Timed<T>(long appendedAtMs, int partition, T value) {}

  /**
   * Every committed record of the topic up to its end now, decoded; records that {@code decode}
   * maps to null are left out (e.g. other searches).
   *
   * @throws IllegalStateException when the topic's records are not stamped with LogAppendTime (the
   *     benchmark's timings would then mean nothing)
   */
  public static <T> List<Timed<T>> read(
      String bootstrapServers, String topic, Function<ConsumerRecord<String, byte[]>, T> decode) {
    List<Timed<T>> out = new ArrayList<>();
    try (TopicReader reader = new TopicReader(bootstrapServers, Map.of())) {
      for (ConsumerRecord<String, byte[]> r :
          reader.snapshot(List.of(topic), Duration.ofSeconds(60))) {
        if (r.timestampType() != TimestampType.LOG_APPEND_TIME) {
          throw new IllegalStateException(
              "topic "
                  + topic
                  + " stamps records with "
                  + r.timestampType()
                  + ", not LogAppendTime; the benchmark creates its teams' topics itself, so a topic made elsewhere is in the way");
        }
        T value = decode.apply(r);
        if (value != null) {
          out.add(new Timed<>(r.timestamp(), r.partition(), value));
        }
      }
    }
    return out;
  }
}
