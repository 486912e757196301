package org.fpnas.schemas;

import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * A schema store held in memory, for topology unit tests and single-process tools that need the
 * wire format without a registry server. It assigns ids like a registry (one id per distinct
 * schema) but checks no compatibility.
 */
public final class LocalSchemaStore implements SchemaStore {
  private final Map<Schema, Integer> ids = new HashMap<>();
  private final Map<Integer, Schema> schemas = new HashMap<>();

  @Override
  public synchronized int register(String subject, Schema schema) {
    return ids.computeIfAbsent(
        schema,
        s -> {
          int id = ids.size() + 1;
          schemas.put(id, s);
          return id;
        });
  }

  @Override
  public synchronized Schema schemaById(int id) {
    Schema schema = schemas.get(id);
    if (schema == null) {
      throw new SchemaRegistryException(
          404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + id + " not found");
    }
    return schema;
  }
}
