package org.fpnas.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.fpnas.cluster.TopicAdmin;
import org.fpnas.schemas.avro.EvaluationResult;
import org.fpnas.schemas.avro.SearchSpec;
import org.fpnas.testkit.KafkaInfra;
import org.fpnas.testkit.RealKafka;
import org.fpnas.testkit.TestTopics;
import org.junit.jupiter.api.Test;

@RealKafka
class WireContractIT {
  private final KafkaInfra infra;
  private final SchemaRegistryClient registry;

  WireContractIT(KafkaInfra infra) {
    this.infra = infra;
    this.registry = new SchemaRegistryClient(infra.schemaRegistryUrl());
  }

  @Test
  void everyRecordTypeRoundTripsThroughTheRegistryAndARealTopic() {
    for (SpecificRecord record : SampleRecords.all()) {
      String topic = TestTopics.unique("roundtrip-" + record.getSchema().getName());
      byte[] bytes = serde(record).serialize(topic, record);
      List<byte[]> received = produceAndConsume(topic, List.of(bytes));
      assertEquals(record, serde(record).deserialize(topic, received.get(0)));
      // The subject follows the topic name strategy and holds exactly this schema.
      RegisteredSchema latest = registry.latest(topic + "-value");
      assertEquals(record.getSchema(), latest.schema());
      assertEquals(ByteBuffer.wrap(bytes, 1, 4).getInt(), latest.id());
    }
  }

  @Test
  void encodedFixturesOfEveryReleasedVersionStillDecode() throws IOException {
    for (String version : List.of("v1", "v2")) {
      for (SpecificRecord current : SampleRecords.all()) {
        String name = current.getSchema().getName();
        Schema writer =
            new Schema.Parser().parse(resource("/fixtures/" + version + "/" + name + ".avsc"));
        byte[] payload = resourceBytes("/fixtures/" + version + "/" + name + ".bin");
        String topic = TestTopics.unique("fixture-" + version + "-" + name);
        int id = registry.register(topic + "-value", writer);
        byte[] wire =
            ByteBuffer.allocate(5 + payload.length).put((byte) 0).putInt(id).put(payload).array();
        SpecificRecord decoded = serde(current).deserialize(topic, wire);
        assertEquals(name, decoded.getSchema().getName(), version + " " + name);
        // Fields added since a version take their defaults, which the sample records keep.
        assertEquals(
            current, decoded, version + " fixture of " + name + " decodes to the sample record");
      }
    }
  }

  @Test
  void registryRefusesAnIncompatibleSchemaWithItsErrorCode() {
    String subject = TestTopics.unique("compat") + "-value";
    Schema v1 =
        SchemaBuilder.record("Thing")
            .namespace("org.fpnas.test")
            .fields()
            .requiredString("a")
            .endRecord();
    Schema addedWithDefault =
        SchemaBuilder.record("Thing")
            .namespace("org.fpnas.test")
            .fields()
            .requiredString("a")
            .name("b")
            .type()
            .intType()
            .intDefault(3)
            .endRecord();
    Schema addedWithoutDefault =
        SchemaBuilder.record("Thing")
            .namespace("org.fpnas.test")
            .fields()
            .requiredString("a")
            .requiredInt("c")
            .endRecord();
    int id = registry.register(subject, v1);
    assertEquals(id, registry.register(subject, v1), "registration is idempotent");
    assertTrue(registry.isCompatible(subject, addedWithDefault));
    assertFalse(registry.isCompatible(subject, addedWithoutDefault));
    var e =
        assertThrows(
            SchemaRegistryException.class, () -> registry.register(subject, addedWithoutDefault));
    assertEquals(SchemaRegistryException.INCOMPATIBLE_SCHEMA, e.errorCode());
    assertEquals(409, e.httpStatus());
    registry.register(subject, addedWithDefault);
    assertEquals(2, registry.latest(subject).version());
  }

  @Test
  void unknownSubjectAndUnknownIdCarryTheRegistryErrorCodes() {
    var subject =
        assertThrows(SchemaRegistryException.class, () -> registry.latest("no-such-subject-value"));
    assertEquals(SchemaRegistryException.SUBJECT_NOT_FOUND, subject.errorCode());
    var id = assertThrows(SchemaRegistryException.class, () -> registry.schemaById(987_654));
    assertEquals(SchemaRegistryException.SCHEMA_NOT_FOUND, id.errorCode());
  }

  @Test
  void garbageWrongMagicAndUnknownIdEachGiveAClearError() {
    String topic = TestTopics.unique("bad");
    byte[] garbage = "this is not avro at all".getBytes(StandardCharsets.UTF_8);
    byte[] wrongMagic = {1, 0, 0, 0, 1, 2, 4, 6};
    byte[] unknownId = {0, 0, 0x0f, 0x42, 0x40, 2, 4, 6};
    List<byte[]> received = produceAndConsume(topic, List.of(garbage, wrongMagic, unknownId));
    AvroSerde<EvaluationResult> serde = new AvroSerde<>(registry, EvaluationResult.class);
    var e1 =
        assertThrows(WireFormatException.class, () -> serde.deserialize(topic, received.get(0)));
    assertTrue(e1.getMessage().contains("not Confluent wire format"), e1.getMessage());
    var e2 =
        assertThrows(WireFormatException.class, () -> serde.deserialize(topic, received.get(1)));
    assertTrue(e2.getMessage().contains("magic byte 0x01"), e2.getMessage());
    var e3 =
        assertThrows(WireFormatException.class, () -> serde.deserialize(topic, received.get(2)));
    assertTrue(e3.getMessage().contains("unknown schema id 1000000"), e3.getMessage());
  }

  @Test
  void aRecordOfAnotherSchemaOnATopicIsNamed() {
    String topic = TestTopics.unique("wrong-schema");
    byte[] spec =
        new AvroSerde<>(registry, SearchSpec.class).serialize(topic, SampleRecords.searchSpec());
    AvroSerde<EvaluationResult> results = new AvroSerde<>(registry, EvaluationResult.class);
    var e = assertThrows(WireFormatException.class, () -> results.deserialize(topic, spec));
    assertTrue(e.getMessage().contains("org.fpnas.schemas.avro.SearchSpec"), e.getMessage());
    assertTrue(e.getMessage().contains("org.fpnas.schemas.avro.EvaluationResult"), e.getMessage());
  }

  @Test
  void avroThatEndsEarlyIsRejected() {
    String topic = TestTopics.unique("truncated");
    AvroSerde<EvaluationResult> serde = new AvroSerde<>(registry, EvaluationResult.class);
    byte[] full = serde.serialize(topic, SampleRecords.result());
    byte[] cut = java.util.Arrays.copyOf(full, full.length - 6);
    var e = assertThrows(WireFormatException.class, () -> serde.deserialize(topic, cut));
    assertTrue(e.getMessage().contains("not valid Avro"), e.getMessage());
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private AvroSerde<SpecificRecord> serde(SpecificRecord record) {
    return new AvroSerde(registry, record.getClass());
  }

  private List<byte[]> produceAndConsume(String topic, List<byte[]> values) {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.bootstrapServers()))) {
      TopicAdmin.ensureTopics(
          admin, List.of(new TopicSpec(topic, 1, Map.of())), Duration.ofSeconds(30));
    }
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
    try (var producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (byte[] v : values) {
        producer.send(new ProducerRecord<>(topic, v));
      }
      producer.flush();
    }
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.GROUP_ID_CONFIG, topic + "-reader");
    List<byte[]> out = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.currentTimeMillis() + 30_000;
      while (out.size() < values.size() && System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          out.add(r.value());
        }
      }
    }
    assertEquals(values.size(), out.size(), "records consumed back from " + topic);
    return out;
  }

  private static String resource(String path) throws IOException {
    return new String(resourceBytes(path), StandardCharsets.UTF_8);
  }

  private static byte[] resourceBytes(String path) throws IOException {
    try (InputStream in = WireContractIT.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IOException("missing test resource " + path);
      }
      return in.readAllBytes();
    }
  }
}
