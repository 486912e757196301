package org.fpnas.evaluator;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.fpnas.core.Architecture;
import org.fpnas.core.SearchSpace;
import org.fpnas.evaluator.api.EvaluationRequest;
import org.fpnas.evaluator.api.Evaluator;
import org.fpnas.evaluator.api.EvaluatorProvider;
import org.fpnas.evaluator.api.Measurement;
import org.fpnas.schemas.Codecs;
import org.fpnas.schemas.DeadLetterRecords;
import org.fpnas.schemas.RateLimitedLog;
import org.fpnas.schemas.SampleIds;
import org.fpnas.schemas.Topics;
import org.fpnas.schemas.WireLists;
import org.fpnas.schemas.avro.ArchitectureSample;
import org.fpnas.schemas.avro.DeadLetter;
import org.fpnas.schemas.avro.EvaluationResult;
import org.fpnas.schemas.avro.ResultStatus;
import org.fpnas.schemas.avro.SearchSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One evaluator: a consumer of samples, an evaluator per kind and a producer of results, on one
 * thread.
 */
final class EvaluatorWorker {
  private static final Logger LOG = LoggerFactory.getLogger(EvaluatorWorker.class);

  private final String id;
  private final Map<String, EvaluatorProvider> providers;
  private final Map<String, String> serviceSettings;
  private final Map<String, Evaluator> evaluators = new HashMap<>();
  private final Map<String, SearchSpace> spaces = new HashMap<>();
  private final SpecCatalog catalog;
  private final Codecs serdes;
  private final AtomicLong evaluated;
  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaProducer<String, byte[]> producer;
  private final Thread thread;
  private static final Duration IDLE_POLL = Duration.ofMillis(200);

  /**
   * Samples held per partition before it is paused: a small search's sample behind a large one's
   * must reach the fair queue.
   */
  private static final int HELD_PER_PARTITION = 16;

  private final FairQueue<ConsumerRecord<String, byte[]>> queue;
  private final OffsetTracker offsets = new OffsetTracker();
  private volatile boolean stopping;
  private boolean deadLettersPending;
  private final RateLimitedLog rejected = new RateLimitedLog(LOG, 10);
  private final EvaluatorMetrics metrics;
  private final KafkaClientMetrics consumerMetrics;
  private final KafkaClientMetrics producerMetrics;

  EvaluatorWorker(
      String id,
      String bootstrapServers,
      Map<String, String> clientSettings,
      Map<String, EvaluatorProvider> providers,
      Map<String, String> serviceSettings,
      SpecCatalog catalog,
      Codecs serdes,
      AtomicLong evaluated,
      FairQueue<ConsumerRecord<String, byte[]>> queue,
      EvaluatorMetrics metrics) {
    this.id = id;
    this.metrics = metrics;
    this.queue = queue;
    this.providers = providers;
    this.serviceSettings = serviceSettings;
    this.catalog = catalog;
    this.serdes = serdes;
    this.evaluated = evaluated;
    Properties c = new Properties();
    c.putAll(clientSettings);
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, EvaluatorService.GROUP);
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, id);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // Samples are published in transactions; an aborted iteration must never be evaluated.
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    // A few samples per fetch, so that the fair queue has a choice; full partitions are paused.
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "64");
    c.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "3000");
    // A long fetch wait keeps a fetch parked at the broker while the worker evaluates, and the
    // broker
    // answers it the moment a sample arrives: the sample is in hand when the evaluation ends. With
    // a
    // short wait the fetch came back empty mid-evaluation, and a newly arrived sample (a small
    // team's, say) waited one more whole evaluation behind the backlog before the next poll saw it.
    c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "500");
    // Evaluators joining or leaving move only the partitions that change hands: the others keep
    // evaluating through the rebalance.
    c.put(
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        CooperativeStickyAssignor.class.getName());
    // A dead evaluator's samples go to the others after this long.
    c.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
    c.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1000");
    this.consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    Properties p = new Properties();
    p.putAll(clientSettings);
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, id + "-results");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    // Ride out a broker restart: keep retrying a result for up to five minutes.
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "300000");
    this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    this.consumerMetrics = new KafkaClientMetrics(consumer);
    this.producerMetrics = new KafkaClientMetrics(producer);
    consumerMetrics.bindTo(metrics.registry());
    producerMetrics.bindTo(metrics.registry());
    this.thread = new Thread(this::run, "fpnas-evaluator-" + id);
  }

  void start() {
    thread.start();
  }

  void stop() {
    stopping = true;
    consumer.wakeup();
  }

  void awaitStop() {
    try {
      thread.join(Duration.ofSeconds(60).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    try {
      consumer.subscribe(Topics.SAMPLES_PATTERN, new Rebalances());
      while (!stopping) {
        try {
          for (ConsumerRecord<String, byte[]> r :
              consumer.poll(queue.isEmpty() ? IDLE_POLL : Duration.ZERO)) {
            offsets.received(new TopicPartition(r.topic(), r.partition()), r.offset());
            queue.add(teamOf(r), searchOf(r), r);
            metrics.waiting(teamOf(r), 1);
          }
          pauseFullPartitions();
          FairQueue.Entry<ConsumerRecord<String, byte[]>> next = queue.next();
          if (next != null) {
            metrics.waiting(next.team(), -1);
            ConsumerRecord<String, byte[]> r = next.item();
            if (handle(r)) {
              offsets.done(new TopicPartition(r.topic(), r.partition()), r.offset());
            }
          }
          if (deadLettersPending) {
            producer.flush(); // dead letters are written before their source records are committed
            deadLettersPending = false;
          }
          var commit = offsets.toCommit(this::position);
          if (!commit.isEmpty()) {
            // Asynchronous: a lost commit only means a sample evaluated twice, and the aggregator
            // keeps one.
            consumer.commitAsync(commit, null);
          }
        } catch (CommitFailedException | RebalanceInProgressException e) {
          // The group moved the partition elsewhere: the sample is evaluated again there and the
          // aggregator keeps one result per sample.
          LOG.info(
              "evaluator {}: commit after a rebalance failed ({}); the sample may be evaluated twice",
              id,
              e.getMessage());
        } catch (RetriableException e) {
          LOG.warn("evaluator {}: Kafka not reachable ({}); retrying", id, e.getMessage());
          pause(500);
        }
      }
    } catch (WakeupException e) {
      if (!stopping) {
        LOG.error("evaluator {} woken up unexpectedly", id, e);
      }
    } catch (RuntimeException e) {
      LOG.error("evaluator {} stopped on an error", id, e);
    } finally {
      try {
        consumer.commitSync(offsets.toCommit(), Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        LOG.debug("evaluator {}: final commit failed: {}", id, e.toString());
      }
      evaluators.values().forEach(Evaluator::close);
      queue.removeIf(r -> true).forEach(r -> metrics.waiting(teamOf(r), -1));
      consumerMetrics.close();
      producerMetrics.close();
      consumer.close(Duration.ofSeconds(5));
      producer.close(Duration.ofSeconds(5));
    }
  }

  /**
   * Evaluates one sample and publishes its result (or its dead letter); false when it was left
   * unsettled because the evaluator is stopping, so its offset must not be committed.
   */
  private boolean handle(ConsumerRecord<String, byte[]> r) {
    ArchitectureSample sample;
    try {
      sample = serdes.samples().deserialize(r.topic(), r.value());
      if (sample == null) {
        throw new IllegalArgumentException("empty sample record");
      }
    } catch (RuntimeException e) {
      deadLetter(r, e);
      return true;
    }
    SearchSpec spec =
        catalog.find(sample.getSearchId(), EvaluatorService.specWait(), () -> stopping);
    if (spec == null && stopping) {
      return false; // not committed: another evaluator takes the sample
    }
    if (spec != null && spec.getCancelled()) {
      return true;
    }
    String team = teamOf(r);
    String kind = spec == null ? "unknown" : spec.getEvaluator();
    metrics.inFlight(team, 1);
    try {
      return evaluateAndPublish(r, sample, spec, team, kind);
    } finally {
      metrics.inFlight(team, -1);
    }
  }

  private boolean evaluateAndPublish(
      ConsumerRecord<String, byte[]> r,
      ArchitectureSample sample,
      SearchSpec spec,
      String team,
      String kind) {
    long start = System.nanoTime();
    EvaluationResult.Builder result =
        EvaluationResult.newBuilder()
            .setSampleId(sample.getSampleId())
            .setSearchId(sample.getSearchId())
            .setIteration(sample.getIteration())
            .setIndex(sample.getIndex())
            .setAttempt(sample.getAttempt())
            .setEvaluatorId(id)
            .setMetrics(Map.of());
    try {
      if (spec == null) {
        throw new IllegalArgumentException(
            "unknown search " + sample.getSearchId() + ": no spec on the searches topics");
      }
      Measurement m = evaluate(spec, sample);
      result
          .setStatus(ResultStatus.OK)
          .setLogLikelihood(m.logLikelihood())
          .setCost(m.cost())
          .setMetrics(m.metrics());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopping = true;
      return false; // not committed: another evaluator takes the sample
    } catch (Exception e) {
      String reason = DeadLetterRecords.reason(e);
      LOG.warn("evaluator {}: sample {} FAILED: {}", id, sample.getSampleId(), reason);
      result.setStatus(ResultStatus.FAILED).setError(reason);
    }
    result
        .setDurationMs((System.nanoTime() - start) / 1_000_000)
        .setFinishedAtMs(System.currentTimeMillis());
    String topic = Topics.forTeam(Topics.teamOf(r.topic())).evaluations();
    EvaluationResult built = result.build();
    send(
        new ProducerRecord<>(topic, built.getSearchId(), serdes.results().serialize(topic, built)));
    evaluated.incrementAndGet();
    metrics.evaluated(
        team, kind, built.getStatus().name(), Duration.ofNanos(System.nanoTime() - start));
    return true;
  }

  private Measurement evaluate(SearchSpec spec, ArchitectureSample sample) throws Exception {
    SearchSpace space =
        spaces.computeIfAbsent(
            spec.getSearchId(), k -> SearchSpace.parse(spec.getSpace(), "space of search " + k));
    Architecture a = Architecture.of(WireLists.ints(sample.getChoices()));
    a.validate(space);
    Evaluator evaluator = evaluators.get(spec.getEvaluator());
    if (evaluator == null) {
      EvaluatorProvider provider = providers.get(spec.getEvaluator());
      if (provider == null) {
        throw new IllegalArgumentException(
            "no evaluator of kind '"
                + spec.getEvaluator()
                + "' here; this service has "
                + providers.keySet());
      }
      evaluator = provider.create(serviceSettings);
      evaluators.put(spec.getEvaluator(), evaluator);
    }
    return evaluator.evaluate(
        new EvaluationRequest(
            spec.getSearchId(),
            sample.getIteration(),
            sample.getIndex(),
            sample.getAttempt(),
            a,
            space,
            spec.getSeed(),
            spec.getEvaluatorSettings(),
            spec.getLandscape()));
  }

  private void deadLetter(ConsumerRecord<String, byte[]> r, RuntimeException e) {
    String reason = DeadLetterRecords.reason(e);
    rejected.warn(
        "evaluator {}: unreadable sample at {}-{}@{}: {}",
        id,
        r.topic(),
        r.partition(),
        r.offset(),
        reason);
    String dlq = DeadLetterRecords.queueFor(r.topic());
    if (dlq == null) {
      return;
    }
    metrics.deadLetter(Topics.teamOf(r.topic()));
    DeadLetter letter =
        DeadLetterRecords.of(
            r.topic(),
            r.partition(),
            r.offset(),
            r.key(),
            r.value(),
            reason,
            e,
            "evaluator",
            System.currentTimeMillis());
    deadLettersPending = true;
    producer.send(
        new ProducerRecord<>(dlq, r.key(), serdes.deadLetters().serialize(dlq, letter)),
        (meta, error) -> {
          if (error != null) {
            LOG.error(
                "evaluator {}: cannot write a dead letter to {}: {}", id, dlq, error.toString());
          }
        });
  }

  private long position(TopicPartition tp) {
    try {
      return consumer.assignment().contains(tp) ? consumer.position(tp, Duration.ZERO) : -1;
    } catch (RuntimeException e) {
      return -1; // unknown right now: commit what is known to be done
    }
  }

  private void pauseFullPartitions() {
    java.util.Set<TopicPartition> paused = consumer.paused();
    List<TopicPartition> pause = new ArrayList<>();
    List<TopicPartition> resume = new ArrayList<>();
    for (TopicPartition tp : consumer.assignment()) {
      boolean full = offsets.held(tp) >= HELD_PER_PARTITION;
      if (full && !paused.contains(tp)) {
        pause.add(tp);
      } else if (!full && paused.contains(tp)) {
        resume.add(tp);
      }
    }
    consumer.pause(pause);
    consumer.resume(resume);
  }

  private static String teamOf(ConsumerRecord<String, byte[]> r) {
    String team = Topics.teamOf(r.topic());
    return team == null ? "" : team;
  }

  /** The search of a sample from its key (a sample id), without decoding it. */
  private static String searchOf(ConsumerRecord<String, byte[]> r) {
    return teamOf(r) + "/" + SampleIds.searchOf(r.key());
  }

  /**
   * Samples held for partitions that move to another evaluator are dropped: the new owner reads
   * them again.
   */
  private final class Rebalances implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      try {
        consumer.commitSync(offsets.toCommit(), Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        LOG.info("evaluator {}: commit on revocation failed: {}", id, e.toString());
      }
      drop(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      drop(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}

    private void drop(Collection<TopicPartition> partitions) {
      queue
          .removeIf(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())))
          .forEach(r -> metrics.waiting(teamOf(r), -1));
      offsets.forget(partitions);
    }
  }

  private static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void send(ProducerRecord<String, byte[]> record) {
    try {
      producer.send(record).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while publishing to " + record.topic(), e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(
          "cannot publish to " + record.topic() + ": " + e.getCause(), e.getCause());
    }
  }
}
