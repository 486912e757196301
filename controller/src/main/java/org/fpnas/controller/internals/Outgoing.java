package org.fpnas.controller.internals;

import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.TopicNameExtractor;

/**
 * A record value already encoded for its destination topic. Processors encode themselves because
 * the topic (and so the registry subject) depends on the search's team.
 */
public record Outgoing(String topic, byte[] bytes) {
  public static final Serializer<Outgoing> SERIALIZER =
      (topic, value) -> value == null ? null : value.bytes();
  public static final TopicNameExtractor<String, Outgoing> TOPIC =
      (key, value, context) -> value.topic();
}
