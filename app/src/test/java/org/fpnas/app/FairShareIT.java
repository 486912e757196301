package org.fpnas.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.fpnas.controller.ControllerService;
import org.fpnas.controller.client.SearchClient;
import org.fpnas.controller.client.SearchRequest;
import org.fpnas.evaluator.EvaluatorService;
import org.fpnas.schemas.SchemaRegistryClient;
import org.fpnas.schemas.Topics;
import org.fpnas.schemas.avro.SearchSpec;
import org.fpnas.testkit.KafkaInfra;
import org.fpnas.testkit.RealKafka;
import org.fpnas.testkit.TestClients;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small search of one team next to a large one of another: with the classic group's fair queue
 * the small one is served about as it would be alone; in arrival order it waits behind the large
 * one's backlog. The share group's figures are measured next to them.
 */
@RealKafka
class FairShareIT {
  private static final Logger LOG = LoggerFactory.getLogger(FairShareIT.class);
  private static final Duration TIMEOUT = Duration.ofMinutes(4);

  private final KafkaInfra infra;
  private final SchemaRegistryClient registry;

  @TempDir Path dir;

  FairShareIT(KafkaInfra infra) {
    this.infra = infra;
    this.registry = new SchemaRegistryClient(infra.schemaRegistryUrl());
  }

  /**
   * The share group (the default) holds one sample per evaluator, so an evaluator has nothing to
   * order: its figures are measured and logged (pool-wide fairness belongs to the dispatcher). The
   * assertion is the classic group's: its per-evaluator fair queue serves the small search sooner
   * than arrival order does.
   */
  @Test
  void aSmallSearchNextToALargeOneTakesAboutItsTimeAloneWithFairSharingAndLongerInArrivalOrder() {
    try (SearchClient client = new SearchClient(infra.bootstrapServers(), registry);
        ControllerService controller =
            new ControllerService(infra.bootstrapServers(), registry)
                .stateDir(dir.resolve("streams"))
                .start()) {
      double alone = smallSearchSeconds(client, Pool.SHARE, false);
      double share = smallSearchSeconds(client, Pool.SHARE, true);
      LOG.info(
          "fair share, share group: small search alone {}s, next to a large search {}s (x{} its"
              + " time alone)",
          round(alone),
          round(share),
          round(share / alone));
      skipClassicBacklog();
      double fair = smallSearchSeconds(client, Pool.CLASSIC_FAIR, true);
      double arrivalOrder = smallSearchSeconds(client, Pool.CLASSIC_ARRIVAL_ORDER, true);
      LOG.info(
          "fair share, classic group: small search next to a large search {}s with fair sharing, {}s"
              + " in arrival order (x{} and x{} its time alone with the share group)",
          round(fair),
          round(arrivalOrder),
          round(fair / alone),
          round(arrivalOrder / alone));
      assertTrue(
          fair < arrivalOrder,
          "fair sharing serves the small search sooner: " + fair + "s vs " + arrivalOrder + "s");
    }
  }

  /** How the evaluators take samples. */
  private enum Pool {
    SHARE,
    CLASSIC_FAIR,
    CLASSIC_ARRIVAL_ORDER
  }

  /**
   * The classic group starts at the end of every samples topic there is: on the shared broker it
   * has no offsets, and other tests' samples (served by the share group) would otherwise come
   * first.
   */
  private void skipClassicBacklog() {
    try (Admin admin = Admin.create(TestClients.adminProps(infra))) {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (var topic : admin.describeTopics(samplesTopics(admin)).allTopicNames().get().values()) {
        topic
            .partitions()
            .forEach(
                p ->
                    latest.put(
                        new TopicPartition(topic.name(), p.partition()), OffsetSpec.latest()));
      }
      Map<TopicPartition, OffsetAndMetadata> ends = new HashMap<>();
      admin
          .listOffsets(latest)
          .all()
          .get()
          .forEach((tp, info) -> ends.put(tp, new OffsetAndMetadata(info.offset())));
      admin.alterConsumerGroupOffsets(Topics.EVALUATORS_GROUP, ends).all().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("cannot move the classic group past the backlog: " + e, e);
    }
  }

  private static java.util.List<String> samplesTopics(Admin admin)
      throws InterruptedException, java.util.concurrent.ExecutionException {
    return admin.listTopics().names().get().stream()
        .filter(n -> Topics.SAMPLES_PATTERN.matcher(n).matches())
        .toList();
  }

  /**
   * Runs team B's small search (alone, or while team A's large one runs) and returns its duration.
   */
  private double smallSearchSeconds(SearchClient client, Pool pool, boolean withLarge) {
    String suffix = Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    // Topics first, so that the evaluators subscribe to them from the start (no discovery in the
    // timing).
    client.ensureTopics("big-" + suffix);
    client.ensureTopics("small-" + suffix);
    try (EvaluatorService evaluators =
        new EvaluatorService(infra.bootstrapServers(), registry)
            .workers(2)
            .classicGroup(pool != Pool.SHARE)
            .fairShare(pool != Pool.CLASSIC_ARRIVAL_ORDER)
            .idPrefix("fair-" + suffix)
            .start()) {
      // Team A's search goes first in every case, so that the evaluators have joined their group
      // and are busy (or, alone, idle again) when the clock starts: large, or a one-iteration
      // primer.
      SearchSpec a =
          client.submit(
              request(
                  "big-" + suffix,
                  withLarge
                      ? Map.of("fixedK", "48", "maxIterations", "8")
                      : Map.of("fixedK", "2", "maxIterations", "1")));
      SearchProbe large =
          new SearchProbe(
              infra.bootstrapServers(), registry, a.getTeam(), a.getSearchId(), TIMEOUT);
      if (withLarge) {
        large.awaitIteration(1, TIMEOUT);
      } else {
        large.awaitDone();
      }
      long start = System.nanoTime();
      SearchSpec b =
          client.submit(request("small-" + suffix, Map.of("fixedK", "4", "maxIterations", "6")));
      new SearchProbe(infra.bootstrapServers(), registry, b.getTeam(), b.getSearchId(), TIMEOUT)
          .awaitDone();
      double seconds = (System.nanoTime() - start) / 1e9;
      large.awaitDone();
      return seconds;
    }
  }

  private static SearchRequest request(String team, Map<String, String> settings) {
    Map<String, String> all = new HashMap<>(Map.of("learningRate", "0.1", "kMin", "2"));
    all.putAll(settings);
    return new SearchRequest("small-space.yaml", TextFiles.example("small-space.yaml"))
        .landscape(TextFiles.example("small-landscape.yaml"))
        .team(team)
        .setAll(all)
        .evaluatorSetting("simulatedMs", "100");
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
