package org.fpnas.evaluator.worker;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.fpnas.cluster.RateLimitedLog;
import org.fpnas.cluster.RecentlyUsed;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.SearchSpace;
import org.fpnas.evaluator.api.EvaluationRequest;
import org.fpnas.evaluator.api.Evaluator;
import org.fpnas.evaluator.api.EvaluatorProvider;
import org.fpnas.evaluator.api.Measurement;
import org.fpnas.schemas.Codecs;
import org.fpnas.schemas.DeadLetterRecords;
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
 * What a worker does with one sample record, whichever kind of group it came from: evaluate it with
 * its search's evaluator kind and publish the result, or dead-letter a record that cannot be read.
 * It also counts what it does (in flight, evaluated, dead letters), so both kinds of worker report
 * the same metrics. Evaluations of one instance run on one thread at a time (the evaluators it
 * creates are not shared), except that one left to run out past the time limit keeps the evaluators
 * it had while the next ones get new evaluators ({@link #forgetEvaluators}).
 */
public final class SampleEvaluation implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SampleEvaluation.class);

  /** The kind recorded in metrics for a sample whose search is unknown. */
  static final String UNKNOWN_KIND = "unknown";

  /** How long a sample waits for its search's spec to be read. */
  private static final Duration SPEC_WAIT = Duration.ofSeconds(10);

  private final String id;
  private final Map<String, EvaluatorProvider> providers;
  private final Map<String, String> serviceSettings;
  private final Map<String, Evaluator> evaluators = new ConcurrentHashMap<>();

  /**
   * Parsed spaces by team and search, the last few: a worker evaluates a handful of searches at a
   * time, and the spec catalogue has the others.
   */
  private final RecentlyUsed<String, SearchSpace> spaces = new RecentlyUsed<>(64);

  private final SpecCatalog catalog;
  private final Codecs serdes;
  private final AtomicLong evaluated;
  private final EvaluatorMetrics metrics;
  private final BooleanSupplier stopping;
  private final KafkaProducer<String, byte[]> producer;
  private final KafkaClientMetrics producerMetrics;
  private final RateLimitedLog rejected = new RateLimitedLog(LOG, 10);
  private volatile boolean deadLettersPending;

  public SampleEvaluation(
      String id,
      String bootstrapServers,
      Map<String, String> clientSettings,
      Map<String, EvaluatorProvider> providers,
      Map<String, String> serviceSettings,
      SpecCatalog catalog,
      Codecs serdes,
      AtomicLong evaluated,
      EvaluatorMetrics metrics,
      BooleanSupplier stopping) {
    this.id = id;
    this.providers = providers;
    this.serviceSettings = serviceSettings;
    this.catalog = catalog;
    this.serdes = serdes;
    this.evaluated = evaluated;
    this.metrics = metrics;
    this.stopping = stopping;
    Properties p = new Properties();
    p.putAll(clientSettings);
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, id + "-results");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    // Ride out a broker restart: keep retrying a result for up to five minutes.
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "300000");
    this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    this.producerMetrics = new KafkaClientMetrics(producer);
    producerMetrics.bindTo(metrics.registry());
  }

  /**
   * Evaluates one sample and publishes its result (or its dead letter); false when it was left
   * unsettled because the evaluator is stopping, so it must not be marked done. The result is
   * published only with the claim; without it (the worker gave the sample up at the time limit and
   * published a FAILED result) it is discarded.
   */
  public boolean handle(ConsumerRecord<String, byte[]> r, Claim claim) {
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
    SearchSpec spec = catalog.find(teamOf(r), sample.getSearchId(), SPEC_WAIT, stopping);
    if (spec == null && stopping.getAsBoolean()) {
      return false; // not done: another evaluator takes the sample
    }
    if (spec != null && spec.getCancelled()) {
      return true;
    }
    String team = teamOf(r);
    String kind = spec == null ? UNKNOWN_KIND : spec.getEvaluator();
    metrics.inFlight(team, 1);
    try {
      return evaluateAndPublish(r, sample, spec, team, kind, claim);
    } finally {
      metrics.inFlight(team, -1);
    }
  }

  private boolean evaluateAndPublish(
      ConsumerRecord<String, byte[]> r,
      ArchitectureSample sample,
      SearchSpec spec,
      String team,
      String kind,
      Claim claim) {
    long start = System.nanoTime();
    EvaluationResult.Builder result = resultOf(sample);
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
      return false; // not done: another evaluator takes the sample
    } catch (Exception e) {
      if (Thread.currentThread().isInterrupted()) {
        // Interrupted, it ended however the evaluator ends then: that says nothing of the sample.
        return false;
      }
      String reason = DeadLetterRecords.reason(e);
      LOG.warn("evaluator {}: sample {} FAILED: {}", id, sample.getSampleId(), reason);
      result.setStatus(ResultStatus.FAILED).setError(reason);
    }
    if (!claim.take()) {
      LOG.info(
          "evaluator {}: sample {} ended after it was given up; its result is discarded",
          id,
          sample.getSampleId());
      return true;
    }
    result.setDurationMs((System.nanoTime() - start) / 1_000_000);
    EvaluationResult built = publish(r, result);
    metrics.evaluated(
        team, kind, built.getStatus().name(), Duration.ofNanos(System.nanoTime() - start));
    return true;
  }

  /**
   * Settles a sample that evaluators kept dying on, without evaluating it again: a FAILED result
   * that says so, so that its iteration can close, and a dead letter with the raw record. {@code
   * unfinished} is how many times evaluators took it before and did not finish it.
   */
  public void giveUp(ConsumerRecord<String, byte[]> r, int unfinished) {
    String reason =
        "delivery limit reached: evaluators took this sample "
            + unfinished
            + " time(s) without finishing it (killed or stopped mid-evaluation); it is not"
            + " evaluated again";
    ArchitectureSample sample;
    try {
      sample = serdes.samples().deserialize(r.topic(), r.value());
    } catch (RuntimeException e) {
      deadLetter(r, e);
      flushDeadLetters();
      return;
    }
    LOG.warn("evaluator {}: sample {} FAILED: {}", id, sample.getSampleId(), reason);
    SearchSpec spec = catalog.find(teamOf(r), sample.getSearchId(), Duration.ZERO, stopping);
    String kind = spec == null ? UNKNOWN_KIND : spec.getEvaluator();
    publish(r, resultOf(sample).setStatus(ResultStatus.FAILED).setError(reason).setDurationMs(0));
    metrics.evaluated(teamOf(r), kind, ResultStatus.FAILED.name(), Duration.ZERO);
    deadLetter(r, new IllegalStateException(reason), "delivery-limit");
    flushDeadLetters();
  }

  /**
   * Settles a sample whose evaluation ran past the time limit: a FAILED result with the reason, so
   * that its iteration can close. No dead letter: the record itself is fine.
   */
  public void overran(ConsumerRecord<String, byte[]> r, String reason, Duration elapsed) {
    ArchitectureSample sample;
    try {
      sample = serdes.samples().deserialize(r.topic(), r.value());
    } catch (RuntimeException e) {
      return; // not reached: a record that cannot be read is dead-lettered at once
    }
    LOG.warn("evaluator {}: sample {} FAILED: {}", id, sample.getSampleId(), reason);
    SearchSpec spec = catalog.find(teamOf(r), sample.getSearchId(), Duration.ZERO, stopping);
    String kind = spec == null ? UNKNOWN_KIND : spec.getEvaluator();
    publish(
        r,
        resultOf(sample)
            .setStatus(ResultStatus.FAILED)
            .setError(reason)
            .setDurationMs(elapsed.toMillis()));
    metrics.evaluated(teamOf(r), kind, ResultStatus.FAILED.name(), elapsed);
  }

  /**
   * Drops the evaluators this instance has created, so that the next evaluations create new ones:
   * an evaluation left to run out still uses them. Returns what closes them, to run once it ends.
   */
  public Runnable forgetEvaluators() {
    List<Evaluator> forgotten = List.copyOf(evaluators.values());
    evaluators.clear();
    return () -> forgotten.forEach(Evaluator::close);
  }

  private EvaluationResult.Builder resultOf(ArchitectureSample sample) {
    return EvaluationResult.newBuilder()
        .setSampleId(sample.getSampleId())
        .setSearchId(sample.getSearchId())
        .setIteration(sample.getIteration())
        .setIndex(sample.getIndex())
        .setAttempt(sample.getAttempt())
        .setEvaluatorId(id)
        .setMetrics(Map.of());
  }

  private EvaluationResult publish(
      ConsumerRecord<String, byte[]> r, EvaluationResult.Builder result) {
    result.setFinishedAtMs(System.currentTimeMillis());
    String topic = Topics.forTeam(Topics.teamOf(r.topic())).evaluations();
    EvaluationResult built = result.build();
    send(
        new ProducerRecord<>(topic, built.getSearchId(), serdes.results().serialize(topic, built)));
    evaluated.incrementAndGet();
    return built;
  }

  private Measurement evaluate(SearchSpec spec, ArchitectureSample sample) throws Exception {
    SearchSpace space =
        spaces.computeIfAbsent(
            spec.getTeam() + "/" + spec.getSearchId(),
            k -> SearchSpace.parse(spec.getSpace(), "space of search " + spec.getSearchId()));
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
    deadLetter(r, e, "undecodable");
  }

  private void deadLetter(ConsumerRecord<String, byte[]> r, RuntimeException e, String why) {
    String reason = DeadLetterRecords.reason(e);
    rejected.warn(
        "evaluator {}: sample at {}-{}@{} dead-lettered: {}",
        id,
        r.topic(),
        r.partition(),
        r.offset(),
        reason);
    String dlq = DeadLetterRecords.queueFor(r.topic());
    if (dlq == null) {
      return;
    }
    metrics.deadLetter(Topics.teamOf(r.topic()), why);
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

  /** Dead letters are written before their source records are marked done. */
  public void flushDeadLetters() {
    if (deadLettersPending) {
      producer.flush();
      deadLettersPending = false;
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

  public static String teamOf(ConsumerRecord<String, byte[]> r) {
    String team = Topics.teamOf(r.topic());
    return team == null ? "" : team;
  }

  @Override
  public void close() {
    evaluators.values().forEach(Evaluator::close);
    producerMetrics.close();
    producer.close(Duration.ofSeconds(5));
  }
}
