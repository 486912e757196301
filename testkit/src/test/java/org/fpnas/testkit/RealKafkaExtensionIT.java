package org.fpnas.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every user of {@link RealKafka} shares one broker and registry, and both really serve. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RealKafkaExtensionIT {

  /** The infra the first class saw; the other must see the very same. */
  private static final AtomicReference<KafkaInfra> FIRST = new AtomicReference<>();

  static void assertShared(KafkaInfra infra) {
    FIRST.compareAndSet(null, infra);
    assertSame(FIRST.get(), infra, "one infra per test run");
  }

  @Nested
  @RealKafka
  class Producing {

    @Test
    void aProducedRecordCanBeConsumed(KafkaInfra infra) throws Exception {
      assertShared(infra);
      String topic = TestTopics.createUnique(infra, "testkit", 2);
      try (KafkaProducer<String, String> producer =
          new KafkaProducer<>(TestClients.producerProps(infra))) {
        producer.send(new ProducerRecord<>(topic, "key", "value")).get(30, TimeUnit.SECONDS);
      }
      try (KafkaConsumer<String, String> consumer =
          new KafkaConsumer<>(TestClients.consumerProps(infra, TestTopics.unique("group")))) {
        consumer.subscribe(List.of(topic));
        List<ConsumerRecord<String, String>> records =
            TestClients.consume(consumer, 1, Duration.ofSeconds(30));
        assertEquals("key", records.get(0).key());
        assertEquals("value", records.get(0).value());
      }
    }
  }

  @Nested
  @RealKafka
  class Registry {

    @Test
    void theRegistryAnswers(KafkaInfra infra) throws Exception {
      assertShared(infra);
      HttpClient http = HttpClient.newHttpClient();
      String schema =
          "{\"schema\":\"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"T\\\",\\\"fields\\\":[]}\"}";
      String subject = TestTopics.unique("testkit") + "-value";
      HttpResponse<String> registered =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(infra.schemaRegistryUrl() + "/subjects/" + subject + "/versions"))
                  .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                  .POST(HttpRequest.BodyPublishers.ofString(schema))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, registered.statusCode(), registered.body());
      HttpResponse<String> versions =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(infra.schemaRegistryUrl() + "/subjects/" + subject + "/versions"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals("[1]", versions.body());
    }
  }
}
