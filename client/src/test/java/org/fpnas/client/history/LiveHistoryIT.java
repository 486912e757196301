package org.fpnas.client.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

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
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.EvaluationResult;
import org.fpnas.schemas.avro.SearchSpec;
import org.fpnas.testkit.KafkaInfra;
import org.fpnas.testkit.RealKafka;
import org.fpnas.testkit.TestClients;
import org.fpnas.testkit.TestTopics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A live follower keeps summaries of searches that ended long ago, and reads them whole again. */
@RealKafka
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LiveHistoryIT {
  @Test
  void aSearchThatEndedLongAgoIsListedAsASummaryAndReadWholeWhenAsked(KafkaInfra infra)
      throws Exception {
    String team = TestTopics.unique("live");
    Topics topics = Topics.forTeam(team);
    TestTopics.create(
        infra,
        topics.searches(),
        topics.distributions(),
        topics.evaluations(),
        topics.admissions());
    SchemaRegistryClient registry = new SchemaRegistryClient(infra.schemaRegistryUrl());
    List<SearchRecordsTest.Ended> searches =
        List.of(
            SearchRecordsTest.ended(team, "a"),
            SearchRecordsTest.ended(team, "b"),
            SearchRecordsTest.ended(team, "c"));
    try (KafkaProducer<String, byte[]> producer =
            new KafkaProducer<>(
                TestClients.producerProps(infra),
                new StringSerializer(),
                new ByteArraySerializer());
        LiveHistory live =
            LiveHistory.start(infra.bootstrapServers(), registry, team, Map.of(), id -> {}, 1)) {
      long records = 0;
      for (SearchRecordsTest.Ended e : searches) {
        String id = e.spec().getSearchId();
        producer.send(
            new ProducerRecord<>(
                topics.searches(),
                id,
                new AvroSerde<>(registry, SearchSpec.class)
                    .serialize(topics.searches(), e.spec())));
        for (EvaluationResult r : e.results()) {
          producer.send(
              new ProducerRecord<>(
                  topics.evaluations(),
                  id,
                  new AvroSerde<>(registry, EvaluationResult.class)
                      .serialize(topics.evaluations(), r)));
        }
        for (DistributionUpdate u : e.updates()) {
          producer.send(
              new ProducerRecord<>(
                  topics.distributions(),
                  id,
                  new AvroSerde<>(registry, DistributionUpdate.class)
                      .serialize(topics.distributions(), u)));
        }
        producer.flush();
        // One search at a time, each read whole before the next ends: the topics are read in no
        // order between them, and a search lets its records go only once another has ended.
        records += 1 + e.results().size() + e.updates().size();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (live.recordsRead() < records && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        assertEquals(records, live.recordsRead(), "every record of " + id + " read");
      }
      SearchHistory listed = live.snapshot();
      assertEquals(3, listed.searches().size(), "every search is listed");
      assertNotNull(listed.search("a").orElseThrow().summary(), "a ended long ago: a summary");
      assertNull(listed.search("c").orElseThrow().summary(), "c ended last: kept whole");
      assertEquals(2, listed.search("a").orElseThrow().samplesEvaluated());

      SearchLog a = live.search("a").orElseThrow();
      assertNull(a.summary(), "asked for, read whole again from the topics");
      assertEquals(searches.get(0).updates(), a.updates());
      assertEquals(searches.get(0).results(), a.results());
    }
  }
}
