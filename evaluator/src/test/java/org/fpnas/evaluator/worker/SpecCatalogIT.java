package org.fpnas.evaluator.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.fpnas.schemas.AvroSerde;
import org.fpnas.schemas.SchemaRegistryClient;
import org.fpnas.schemas.Topics;
import org.fpnas.schemas.avro.SearchSpec;
import org.fpnas.testkit.KafkaInfra;
import org.fpnas.testkit.RealKafka;
import org.fpnas.testkit.TestClients;
import org.fpnas.testkit.TestTopics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The evaluators' spec catalogue keeps each team's searches apart, on a real broker. */
@RealKafka
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SpecCatalogIT {
  private static SearchSpec spec(String team, String id, String simulatedMs) {
    return SearchSpec.newBuilder()
        .setSearchId(id)
        .setTeam(team)
        .setSpaceName("small")
        .setSpace("{\"layers\":[]}")
        .setHyperparameters(Map.of("seed", "7"))
        .setSeed(7L)
        .setEvaluator("benchmark")
        .setEvaluatorSettings(Map.of("simulatedMs", simulatedMs))
        .setLandscape("{}")
        .setSubmittedAtMs(0L)
        .build();
  }

  @Test
  void aSpecCountsOnlyForTheTeamWhoseTopicItCameIn(KafkaInfra infra) throws Exception {
    String owner = TestTopics.unique("owner");
    String other = TestTopics.unique("other");
    String ownerTopic = Topics.forTeam(owner).searches();
    String otherTopic = Topics.forTeam(other).searches();
    TestTopics.create(infra, ownerTopic, otherTopic);
    AvroSerde<SearchSpec> serde =
        new AvroSerde<>(new SchemaRegistryClient(infra.schemaRegistryUrl()), SearchSpec.class);
    SearchSpec real = spec(owner, "exp1", "0");
    // Written later, to the other team's own topic: the owner's id, and once even its team name.
    SearchSpec forged = spec(owner, "exp1", "999999");
    SearchSpec sameId = spec(other, "exp1", "5");
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            TestClients.producerProps(infra), new StringSerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(ownerTopic, "exp1", serde.serialize(ownerTopic, real)));
      producer.send(new ProducerRecord<>(otherTopic, "exp1", serde.serialize(otherTopic, forged)));
      producer.send(new ProducerRecord<>(otherTopic, "exp1", serde.serialize(otherTopic, sameId)));
      producer.flush();
    }
    try (SpecCatalog catalog = new SpecCatalog(infra.bootstrapServers(), serde, Map.of())) {
      Duration wait = Duration.ofSeconds(20);
      assertEquals(real, catalog.find(owner, "exp1", wait, () -> false));
      assertEquals(sameId, catalog.find(other, "exp1", wait, () -> false));
      assertNull(catalog.find(other, "exp2", Duration.ZERO, () -> false));
    }
  }
}
