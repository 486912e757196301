package org.fpnas.schemas;

import org.apache.avro.Schema;

/**
 * What a serde needs of a schema registry: register a schema under a subject, look one up by id.
 */
public interface SchemaStore {
  /** Registers the schema under the subject (idempotent) and returns its global id. */
  int register(String subject, Schema schema);

  /**
   * The schema with the given id; throws {@link SchemaRegistryException} with code 40403 if
   * unknown.
   */
  Schema schemaById(int id);
}
