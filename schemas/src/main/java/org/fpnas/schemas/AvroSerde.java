package org.fpnas.schemas;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serializer and deserializer of one Avro record type in the Confluent wire format: magic byte 0, a
 * 4-byte big-endian schema id, then Avro binary. Subjects follow the topic name strategy ({@code
 * <topic>-value}, or {@code <topic>-key} for a key serde).
 */
public final class AvroSerde<T extends SpecificRecord>
    implements Serde<T>, Serializer<T>, Deserializer<T> {
  static final byte MAGIC_BYTE = 0;
  static final int HEADER_LENGTH = 5;

  private final SchemaStore registry;
  private final Class<T> type;
  private final Schema readerSchema;
  private final boolean forKey;
  private final Map<String, Integer> idsByTopic = new ConcurrentHashMap<>();
  private final Map<Integer, SpecificDatumReader<T>> readersByWriterId = new ConcurrentHashMap<>();

  /**
   * Ids the registry did not know, and when it was asked: a flood of them must not flood the
   * registry.
   */
  private final Map<Integer, Long> unknownIds = new ConcurrentHashMap<>();

  private static final long UNKNOWN_ID_RETRY_NANOS = 30_000_000_000L;

  public AvroSerde(SchemaStore registry, Class<T> type) {
    this(registry, type, false);
  }

  public AvroSerde(SchemaStore registry, Class<T> type, boolean forKey) {
    WireTypes.trust();
    this.registry = Objects.requireNonNull(registry, "registry");
    this.type = Objects.requireNonNull(type, "type");
    this.readerSchema = SpecificData.get().getSchema(type);
    this.forKey = forKey;
  }

  /** The subject that a topic's schema is registered under. */
  public static String subject(String topic, boolean forKey) {
    return topic + (forKey ? "-key" : "-value");
  }

  /** The schema this serde writes and reads into. */
  public Schema schema() {
    return readerSchema;
  }

  @Override
  public byte[] serialize(String topic, T record) {
    if (record == null) {
      return null;
    }
    int id;
    try {
      id =
          idsByTopic.computeIfAbsent(
              topic, t -> registry.register(subject(t, forKey), readerSchema));
    } catch (SchemaRegistryException e) {
      if (e.unavailable()) {
        throw new RegistryUnavailableException(
            "cannot register the schema of " + topic + " now: " + e.getMessage(), e);
      }
      throw e;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    out.write(MAGIC_BYTE);
    out.writeBytes(ByteBuffer.allocate(4).putInt(id).array());
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    try {
      new SpecificDatumWriter<T>(readerSchema).write(record, encoder);
      encoder.flush();
    } catch (IOException | RuntimeException e) {
      throw new WireFormatException(
          "cannot encode " + type.getSimpleName() + " for topic " + topic + ": " + e.getMessage(),
          e);
    }
    return out.toByteArray();
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    if (data.length < HEADER_LENGTH) {
      throw new WireFormatException(
          "record on "
              + topic
              + " has "
              + data.length
              + " bytes: too short for the Confluent wire format (magic byte + 4-byte schema id + Avro)");
    }
    if (data[0] != MAGIC_BYTE) {
      throw new WireFormatException(
          String.format(
              "record on %s is not Confluent wire format: magic byte 0x%02x, expected 0x00",
              topic, data[0]));
    }
    int id = ByteBuffer.wrap(data, 1, 4).getInt();
    SpecificDatumReader<T> reader = readersByWriterId.computeIfAbsent(id, this::readerFor);
    BinaryDecoder decoder =
        DecoderFactory.get().binaryDecoder(data, HEADER_LENGTH, data.length - HEADER_LENGTH, null);
    try {
      T value = reader.read(null, decoder);
      if (!decoder.isEnd()) {
        throw new WireFormatException(
            "record on "
                + topic
                + " has "
                + trailing(decoder)
                + " bytes left after a complete "
                + type.getSimpleName()
                + " (schema id "
                + id
                + ")");
      }
      return value;
    } catch (IOException | RuntimeException e) {
      if (e instanceof WireFormatException w) {
        throw w;
      }
      if (e instanceof RegistryUnavailableException u) {
        throw u;
      }
      throw new WireFormatException(
          "record on "
              + topic
              + " is not valid Avro of schema id "
              + id
              + " ("
              + type.getSimpleName()
              + "): "
              + e,
          e);
    }
  }

  private SpecificDatumReader<T> readerFor(int id) {
    Long askedAt = unknownIds.get(id);
    if (askedAt != null && System.nanoTime() - askedAt < UNKNOWN_ID_RETRY_NANOS) {
      throw new WireFormatException(
          "unknown schema id " + id + ": the registry has no such schema");
    }
    Schema writer;
    try {
      writer = registry.schemaById(id);
      unknownIds.remove(id);
    } catch (SchemaRegistryException e) {
      if (e.errorCode() == SchemaRegistryException.SCHEMA_NOT_FOUND) {
        if (unknownIds.size() < 10_000) {
          unknownIds.put(id, System.nanoTime());
        }
        throw new WireFormatException(
            "unknown schema id " + id + ": the registry has no such schema", e);
      }
      if (e.unavailable()) {
        throw new RegistryUnavailableException(
            "cannot fetch schema id " + id + " now: " + e.getMessage(), e);
      }
      throw new WireFormatException("cannot fetch schema id " + id + ": " + e.getMessage(), e);
    }
    if (writer.getType() != Schema.Type.RECORD
        || !writer.getFullName().equals(readerSchema.getFullName())) {
      throw new WireFormatException(
          "schema id "
              + id
              + " is "
              + describe(writer)
              + ", but this topic carries "
              + readerSchema.getFullName());
    }
    SchemaCompatibility.SchemaPairCompatibility compatibility =
        SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writer);
    if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
      throw new WireFormatException(
          "schema id "
              + id
              + " of "
              + writer.getFullName()
              + " cannot be read with this version of the schema: "
              + compatibility.getDescription());
    }
    return new SpecificDatumReader<>(writer, readerSchema);
  }

  private static String describe(Schema schema) {
    return schema.getType() == Schema.Type.RECORD
        ? "record " + schema.getFullName()
        : "a " + schema.getType() + " schema";
  }

  private static long trailing(BinaryDecoder decoder) {
    try {
      long n = 0;
      while (!decoder.isEnd()) {
        decoder.readFixed(new byte[1]);
        n++;
      }
      return n;
    } catch (IOException e) {
      return -1;
    }
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    // Configured through the constructor: a serde instance is bound to its registry and type.
  }

  @Override
  public void close() {
    // The registry client is shared and owned by the caller.
  }

  @Override
  public Serializer<T> serializer() {
    return this;
  }

  @Override
  public Deserializer<T> deserializer() {
    return this;
  }
}
