package org.fpnas.client;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.fpnas.cluster.TopicAdmin;
import org.fpnas.cluster.TopicReader;
import org.fpnas.schemas.AvroSerde;
import org.fpnas.schemas.SchemaStore;
import org.fpnas.schemas.TeamSchemas;
import org.fpnas.schemas.Topics;
import org.fpnas.schemas.avro.SearchSpec;

/** Submits and cancels searches: the write side of the search lifecycle, as a team's client. */
public final class SearchClient implements AutoCloseable {
  private final String bootstrapServers;
  private final SchemaStore schemas;
  private final AvroSerde<SearchSpec> serde;
  private final Map<String, String> clientSettings = new HashMap<>();
  private KafkaProducer<String, byte[]> producer;

  public SearchClient(String bootstrapServers, SchemaStore schemas) {
    this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    this.schemas = Objects.requireNonNull(schemas, "schemas");
    this.serde = new AvroSerde<>(schemas, SearchSpec.class);
  }

  /** An extra Kafka client setting (e.g. security settings of the cluster). */
  public SearchClient clientProperty(String key, String value) {
    clientSettings.put(key, value);
    return this;
  }

  /**
   * Creates the team's topics if they are missing, waits until they serve and registers their
   * schemas (on a secure cluster, where a team may not register, {@code fpnas team create} did).
   */
  public void ensureTopics(String team) {
    Properties p = new Properties();
    p.putAll(clientSettings);
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    try (Admin admin = Admin.create(p)) {
      TopicAdmin.ensureTopics(admin, Topics.forTeam(team).specs(), Duration.ofSeconds(60));
    }
    TeamSchemas.register(schemas, team);
  }

  /** Validates the request and publishes the search; nothing is published if it is invalid. */
  public SearchSpec submit(SearchRequest request) {
    SearchSpec spec = SearchSpecs.validate(request, System.currentTimeMillis());
    ensureTopics(spec.getTeam());
    publish(spec);
    return spec;
  }

  /**
   * Whether the team already has a search of this id: its searches topic holds a spec under it. A
   * search id is the team's for good (its history stays on the topics), so a new search needs a new
   * id; another team's searches do not count.
   */
  public boolean searchExists(String team, String searchId) {
    String topic = Topics.forTeam(team).searches();
    Duration timeout = Duration.ofSeconds(60);
    try (TopicReader reader = new TopicReader(bootstrapServers, clientSettings)) {
      return reader.exists(topic, timeout)
          && reader.snapshot(List.of(topic), timeout).stream()
              .anyMatch(r -> searchId.equals(r.key()) && r.value() != null);
    }
  }

  /** Publishes a spec as it is (a cancellation, or a fork built by the caller). */
  public void publish(SearchSpec spec) {
    String topic = Topics.forTeam(spec.getTeam()).searches();
    try {
      producer()
          .send(new ProducerRecord<>(topic, spec.getSearchId(), serde.serialize(topic, spec)))
          .get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(
          "interrupted while submitting search " + spec.getSearchId(), e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "cannot publish search " + spec.getSearchId() + " to " + topic + ": " + e, e);
    }
  }

  private KafkaProducer<String, byte[]> producer() {
    if (producer == null) {
      Properties p = new Properties();
      p.putAll(clientSettings);
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
      p.put(ProducerConfig.ACKS_CONFIG, "all");
      p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
      producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }
    return producer;
  }

  @Override
  public void close() {
    if (producer != null) {
      producer.close(Duration.ofSeconds(10));
    }
  }
}
