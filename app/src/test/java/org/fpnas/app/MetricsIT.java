package org.fpnas.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.fpnas.client.SearchClient;
import org.fpnas.client.SearchRequest;
import org.fpnas.client.history.SearchHistory;
import org.fpnas.client.history.SearchLog;
import org.fpnas.controller.ControllerService;
import org.fpnas.evaluator.EvaluatorService;
import org.fpnas.metrics.PrometheusEndpoint;
import org.fpnas.schemas.AvroSerde;
import org.fpnas.schemas.SchemaRegistryClient;
import org.fpnas.schemas.Topics;
import org.fpnas.schemas.avro.DeadLetter;
import org.fpnas.schemas.avro.SearchSpec;
import org.fpnas.testkit.KafkaInfra;
import org.fpnas.testkit.RealKafka;
import org.fpnas.testkit.TestClients;
import org.junit.jupiter.api.Test;

/**
 * The controller's and the evaluators' Prometheus endpoints, scraped during and after a search on
 * the real broker, against what the topics recorded: results, iterations and dead letters.
 */
@RealKafka
class MetricsIT {
  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private final KafkaInfra infra;
  private final SchemaRegistryClient registry;

  MetricsIT(KafkaInfra infra) {
    this.infra = infra;
    this.registry = new SchemaRegistryClient(infra.schemaRegistryUrl());
  }

  @Test
  void theCountersOfEachEndpointAgreeWithTheTopics() throws Exception {
    String team = "metrics-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    Topics topics = Topics.forTeam(team);
    try (PrometheusEndpoint controllerMetrics = PrometheusEndpoint.create().serve("127.0.0.1", 0);
        PrometheusEndpoint evaluatorMetrics = PrometheusEndpoint.create().serve("127.0.0.1", 0);
        SearchClient client = new SearchClient(infra.bootstrapServers(), registry)) {
      client.ensureTopics(team);
      try (ControllerService controller =
              new ControllerService(infra.bootstrapServers(), registry)
                  .stateDir(Files.createTempDirectory("metrics-it"))
                  .metrics(controllerMetrics.registry())
                  .start();
          EvaluatorService evaluators =
              new EvaluatorService(infra.bootstrapServers(), registry)
                  .workers(2)
                  .idPrefix("metrics-it")
                  .metrics(evaluatorMetrics.registry())
                  .start()) {
        SearchSpec spec =
            client.submit(
                new SearchRequest("small-space.yaml", TextFiles.example("small-space.yaml"))
                    .landscape(TextFiles.example("small-landscape.yaml"))
                    .team(team)
                    .searchId("metrics-" + System.nanoTime())
                    .setAll(Map.of("seed", "5", "maxIterations", "12", "k0", "8", "kMin", "4"))
                    .evaluatorSetting("simulatedMs", "20"));
        SearchProbe probe =
            new SearchProbe(infra.bootstrapServers(), registry, team, spec.getSearchId(), TIMEOUT);
        probe.awaitIteration(3, TIMEOUT);
        // Bad records from "another service": an undecodable result and an undecodable sample.
        try (var producer =
            new KafkaProducer<>(
                TestClients.producerProps(infra),
                new StringSerializer(),
                new ByteArraySerializer())) {
          byte[] junk = "not avro".getBytes(StandardCharsets.UTF_8);
          producer
              .send(new ProducerRecord<>(topics.evaluations(), spec.getSearchId(), junk))
              .get(30, TimeUnit.SECONDS);
          producer
              .send(new ProducerRecord<>(topics.samples(), spec.getSearchId() + "/99/0", junk))
              .get(30, TimeUnit.SECONDS);
        }

        PrometheusText during = PrometheusText.scrape(evaluatorMetrics.url());
        assertTrue(
            during.sum("fpnas_evaluations_total", Map.of("team", team)) > 0,
            "evaluations counted while running");
        assertTrue(
            during.has("fpnas_samples_waiting") && during.has("fpnas_samples_in_flight"),
            during.toString());
        assertTrue(
            during.has("kafka_consumer_fetch_manager_records_consumed_total"),
            "Kafka client metrics bound");
        PrometheusText controllerDuring = PrometheusText.scrape(controllerMetrics.url());
        assertEquals(
            1.0,
            controllerDuring.sum("fpnas_searches", Map.of("team", team, "state", "running")),
            controllerDuring.toString());
        assertTrue(controllerDuring.has("fpnas_samples_outstanding"));
        assertTrue(
            controllerDuring.has("kafka_stream_thread_process_total"),
            "Kafka Streams metrics bound");
        assertTrue(controllerDuring.has("jvm_memory_used_bytes"), "JVM metrics bound");

        probe.awaitDone();
        SearchLog log = awaitEvaluations(team, spec.getSearchId());
        List<DeadLetter> letters = deadLetters(topics.dlq(), 2);

        PrometheusText evaluator = PrometheusText.scrape(evaluatorMetrics.url());
        PrometheusText ctl = PrometheusText.scrape(controllerMetrics.url());
        int results = log.results().size();
        assertEquals(
            results,
            evaluator.sum("fpnas_evaluations_total", Map.of("team", team)),
            0.0,
            "every result on " + topics.evaluations() + " was counted by the evaluators once");
        // The duration has no team label, and the pool also evaluates what other tests left on
        // the shared broker: every evaluation of the kind is timed once.
        assertEquals(
            evaluator.sum("fpnas_evaluations_total", Map.of("kind", "benchmark")),
            evaluator.sum("fpnas_evaluation_duration_seconds_count", Map.of("kind", "benchmark")),
            0.0,
            "every evaluation timed once");
        assertEquals(
            results,
            ctl.sum("fpnas_results_total", Map.of("team", team)),
            0.0,
            "every decodable result was read by the aggregator once");
        assertEquals(
            log.updates().size() - 1, ctl.sum("fpnas_iterations_total", Map.of("team", team)), 0.0);
        assertEquals(
            log.updates().size() - 2,
            ctl.sum("fpnas_control_latency_seconds_count", Map.of("team", team)),
            0.0,
            "one control-loop latency per iteration after the first (the last update is the end)");
        assertEquals(1.0, ctl.sum("fpnas_searches", Map.of("team", team, "state", "done")));
        assertEquals(0.0, ctl.sum("fpnas_samples_outstanding", Map.of("team", team)));
        assertEquals(0.0, evaluator.sum("fpnas_samples_in_flight", Map.of("team", team)));
        assertEquals(0.0, evaluator.sum("fpnas_samples_waiting", Map.of("team", team)));

        long fromAggregator =
            letters.stream().filter(l -> l.getService().equals("aggregator")).count();
        long fromEvaluator =
            letters.stream().filter(l -> l.getService().equals("evaluator")).count();
        assertEquals(1, fromAggregator, letters.toString());
        assertEquals(1, fromEvaluator, letters.toString());
        assertEquals(
            fromAggregator,
            ctl.sum(
                "fpnas_dead_letters_total",
                Map.of("team", team, "service", "aggregator", "reason", "undecodable")),
            0.0);
        assertEquals(
            fromEvaluator,
            evaluator.sum(
                "fpnas_dead_letters_total",
                Map.of("team", team, "service", "evaluator", "reason", "undecodable")),
            0.0);
      }
    }
  }

  private SearchLog awaitEvaluations(String team, String searchId) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      SearchLog log =
          SearchHistory.read(infra.bootstrapServers(), registry, team, true, Map.of())
              .search(searchId)
              .orElseThrow();
      long expected =
          log.updates().stream()
              .limit(log.updates().size() - 1L)
              .mapToLong(u -> u.getSampleCount())
              .sum();
      if (log.results().size() >= expected || System.nanoTime() > deadline) {
        return log;
      }
      Thread.sleep(200);
    }
  }

  private List<DeadLetter> deadLetters(String dlq, int count) {
    AvroSerde<DeadLetter> serde = new AvroSerde<>(registry, DeadLetter.class);
    try (var consumer =
        new KafkaConsumer<>(
            TestClients.consumerProps(infra, "metrics-it-" + System.nanoTime()),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer
          .partitionsFor(dlq)
          .forEach(p -> partitions.add(new TopicPartition(dlq, p.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      List<DeadLetter> out = new ArrayList<>();
      TestClients.consume(consumer, count, TIMEOUT)
          .forEach(r -> out.add(serde.deserialize(r.topic(), r.value())));
      return out;
    }
  }
}
