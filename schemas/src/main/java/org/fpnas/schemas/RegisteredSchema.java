package org.fpnas.schemas;

import org.apache.avro.Schema;

/** One version of a schema registered under a subject. */
public record RegisteredSchema(String subject, int version, int id, Schema schema) {}
