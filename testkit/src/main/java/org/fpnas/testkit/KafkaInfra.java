package org.fpnas.testkit;

/** A real Kafka broker and schema registry for tests: where clients connect. */
public interface KafkaInfra {

  /** Kafka's bootstrap servers, e.g. {@code localhost:PORT}. */
  String bootstrapServers();

  /** The schema registry's base URL, e.g. {@code http://localhost:PORT}. */
  String schemaRegistryUrl();
}
