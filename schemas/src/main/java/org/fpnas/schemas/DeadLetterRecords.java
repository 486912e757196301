package org.fpnas.schemas;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.fpnas.schemas.avro.DeadLetter;

/**
 * What a record that cannot be used becomes: a {@link DeadLetter} that keeps its bytes, where it
 * came from and the reason, on the dead letter queue of the team whose topic it came from.
 */
public final class DeadLetterRecords {
  private DeadLetterRecords() {}

  /**
   * The team's dead letter queue for a record of this topic, or null when it is no team's topic.
   */
  public static String queueFor(String sourceTopic) {
    String team = sourceTopic == null ? null : Topics.teamOf(sourceTopic);
    return team == null ? null : Topics.forTeam(team).dlq();
  }

  /**
   * The dead letter of a record; {@code error} may be null when the reason is not an exception.
   *
   * @param service the service that rejected it ("aggregator", "evaluator", ...)
   */
  public static DeadLetter of(
      String sourceTopic,
      int partition,
      long offset,
      String key,
      byte[] value,
      String reason,
      Throwable error,
      String service,
      long nowMs) {
    return DeadLetter.newBuilder()
        .setSourceTopic(sourceTopic)
        .setSourcePartition(partition)
        .setSourceOffset(offset)
        .setKey(key == null ? null : ByteBuffer.wrap(key.getBytes(StandardCharsets.UTF_8)))
        .setValue(value == null ? null : ByteBuffer.wrap(value))
        .setError(reason)
        .setErrorClass(error == null ? null : error.getClass().getName())
        .setService(service)
        .setTimestampMs(nowMs)
        .build();
  }

  /** The reason of an exception for a dead letter: its message, or its class when it has none. */
  public static String reason(Throwable error) {
    return error.getMessage() == null ? error.toString() : error.getMessage();
  }
}
