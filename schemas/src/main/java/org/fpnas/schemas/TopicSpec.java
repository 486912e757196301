package org.fpnas.schemas;

import java.util.Map;

/** A topic's name, partition count and topic-level configuration. */
public record TopicSpec(String name, int partitions, Map<String, String> configs) {
  public TopicSpec {
    if (partitions < 1) {
      throw new IllegalArgumentException(
          "topic " + name + ": partitions must be at least 1, got " + partitions);
    }
    configs = Map.copyOf(configs);
  }
}
