/**
 * Local infrastructure for the one-machine default: a single-node KRaft Kafka broker ({@link
 * org.fpnas.embedded.KafkaBroker}), a Confluent-compatible schema registry ({@link
 * org.fpnas.embedded.SchemaRegistryServer}) and both together ({@link
 * org.fpnas.embedded.EmbeddedInfra}).
 */
package org.fpnas.embedded;
