package org.fpnas.evaluator.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

  @Test
  void onlyTheBoundIsKeptDecodedAndAnEvictedSpecIsReadAgainFromItsTopic(KafkaInfra infra)
      throws Exception {
    String team = TestTopics.unique("many");
    String topic = Topics.forTeam(team).searches();
    TestTopics.create(infra, topic);
    AvroSerde<SearchSpec> serde =
        new AvroSerde<>(new SchemaRegistryClient(infra.schemaRegistryUrl()), SearchSpec.class);
    List<SearchSpec> written = new ArrayList<>();
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            TestClients.producerProps(infra), new StringSerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < 5; i++) {
        SearchSpec s = spec(team, "s" + i, Integer.toString(i));
        written.add(s);
        producer.send(new ProducerRecord<>(topic, s.getSearchId(), serde.serialize(topic, s)));
      }
      producer.flush();
    }
    try (SpecCatalog catalog = new SpecCatalog(infra.bootstrapServers(), serde, Map.of(), 2)) {
      Duration wait = Duration.ofSeconds(20);
      for (SearchSpec s : written) {
        assertEquals(s, catalog.find(team, s.getSearchId(), wait, () -> false));
        assertTrue(catalog.held() <= 2, "held " + catalog.held());
      }
      // s0 was evicted long ago: read again from where it is on its topic.
      assertEquals(written.get(0), catalog.find(team, "s0", Duration.ZERO, () -> false));
      assertTrue(catalog.held() <= 2, "held " + catalog.held());
    }
  }
}
