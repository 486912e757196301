package org.fpnas.evaluator.share;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.fpnas.evaluator.worker.EvaluationLimit;
import org.fpnas.evaluator.worker.EvaluationThread;
import org.fpnas.evaluator.worker.EvaluationWatch;
import org.fpnas.evaluator.worker.EvaluatorMetrics;
import org.fpnas.evaluator.worker.PoolWorker;
import org.fpnas.evaluator.worker.SampleEvaluation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One evaluator in the share group: it takes whichever sample is next on any partition, holds it
 * under a lock that it renews while the evaluation runs, and accepts it only once the result is
 * written. A dead evaluator's sample goes to another one when its lock expires; a sample that
 * evaluators kept dying on is settled FAILED on its last delivery instead of being evaluated again;
 * an evaluation that runs past the time limit is stopped, its sample settled FAILED and rejected,
 * so that no search's settings hold a record for ever.
 */
public final class ShareEvaluatorWorker extends PoolWorker {
  private static final Logger LOG = LoggerFactory.getLogger(ShareEvaluatorWorker.class);
  private static final Duration IDLE_POLL = Duration.ofMillis(200);
  private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(10);

  private final ShareSettings settings;
  private final Supplier<Set<String>> topics;
  private final KafkaShareConsumer<String, byte[]> consumer;
  private final SampleEvaluation evaluation;

  /**
   * Evaluations run here, so that this thread, the only one that may touch the consumer, can renew
   * locks.
   */
  private final EvaluationThread evaluating;

  private final EvaluationLimit limit;

  private final EvaluatorMetrics metrics;
  private final KafkaClientMetrics consumerMetrics;

  /** The held sample being settled now: no longer waiting. */
  private ConsumerRecord<String, byte[]> started;

  public ShareEvaluatorWorker(
      String id,
      String bootstrapServers,
      Map<String, String> clientSettings,
      ShareSettings settings,
      EvaluationLimit limit,
      Supplier<Set<String>> topics,
      EvaluatorMetrics metrics,
      java.util.function.Function<java.util.function.BooleanSupplier, SampleEvaluation>
          evaluation) {
    super(id);
    this.metrics = metrics;
    this.settings = settings;
    this.limit = limit;
    this.topics = topics;
    Properties c =
        PoolWorker.consumerSettings(bootstrapServers, clientSettings, settings.group(), id);
    c.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit");
    // Hold the sample being evaluated and at most `prefetch` more: whatever this evaluator holds, a
    // free one cannot take.
    c.put(ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG, "record_limit");
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(1 + settings.prefetch()));
    // A fetch that finds nothing to acquire is parked at the broker this long; with Kafka's 500 ms
    // an evaluator that had just acknowledged its sample waited for the next one up to that long.
    c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "20");
    this.consumer =
        new KafkaShareConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    this.consumerMetrics = ShareConsumerMetrics.of(consumer);
    consumerMetrics.bindTo(metrics.registry());
    this.evaluation = evaluation.apply(() -> stopping);
    this.evaluating =
        new EvaluationThread("fpnas-evaluation-" + id, this.evaluation::forgetEvaluators);
  }

  @Override
  protected void wakeup() {
    consumer.wakeup();
  }

  @Override
  protected void run() {
    Set<String> subscribed = Set.of();
    List<ConsumerRecord<String, byte[]>> held = new ArrayList<>();
    try {
      while (!stopping) {
        Set<String> now = topics.get();
        if (!now.equals(subscribed)) {
          consumer.subscribe(now);
          subscribed = now;
        }
        if (subscribed.isEmpty()) {
          sleep(IDLE_POLL.toMillis());
          continue;
        }
        pollInto(held, IDLE_POLL);
        while (!held.isEmpty() && !stopping) {
          ConsumerRecord<String, byte[]> r = held.get(0);
          metrics.waiting(SampleEvaluation.teamOf(r), -1);
          started = r;
          acknowledge(r, settle(r, held), held);
          held.remove(0);
          started = null;
          // No commit of its own: the acknowledgement goes with the next poll's fetch, one round
          // trip per sample instead of two. Lost with the process, it means the sample is
          // delivered again, and the aggregator keeps one result.
        }
      }
    } catch (WakeupException e) {
      if (!stopping) {
        LOG.error("evaluator {} woken up unexpectedly", id, e);
      }
    } catch (RuntimeException e) {
      LOG.error("evaluator {} stopped on an error", id, e);
    } finally {
      // What it holds goes back to the group at once instead of when the locks expire (closing the
      // consumer releases what is still being renewed).
      try {
        held.forEach(r -> tryAcknowledge(r, AcknowledgeType.RELEASE));
        consumer.commitSync(COMMIT_TIMEOUT);
      } catch (RuntimeException e) {
        LOG.info(
            "evaluator {}: releasing {} sample(s) failed ({}); their locks expire instead",
            id,
            held.size(),
            e.toString());
      }
      for (ConsumerRecord<String, byte[]> r : held) {
        if (r != started) {
          metrics.waiting(SampleEvaluation.teamOf(r), -1);
        }
      }
      evaluating.close();
      consumerMetrics.close();
      consumer.close(Duration.ofSeconds(5));
      evaluation.close();
    }
  }

  /**
   * Evaluates one held sample on the evaluation thread, renewing the locks of everything held while
   * it runs; ACCEPT once its result is written, RELEASE when the evaluator stops first. At the time
   * limit the renewals end: the evaluation is interrupted, the sample settled with a FAILED result
   * that names the limit and REJECTed (archived, not delivered again: another evaluator would only
   * run it as long).
   */
  private AcknowledgeType settle(
      ConsumerRecord<String, byte[]> r, List<ConsumerRecord<String, byte[]>> held) {
    int delivery = r.deliveryCount().map(Short::intValue).orElse(1);
    if (delivery >= settings.deliveryLimit()) {
      evaluation.giveUp(r, delivery - 1);
      return AcknowledgeType.ACCEPT;
    }
    EvaluationLimit.Timer timer = limit.start();
    // The grace an interrupted evaluation has keeps within the locks of what else is held.
    EvaluationThread.Running running =
        evaluating.start(
            claim -> evaluation.handle(r, claim),
            () -> evaluation.overran(r, limit.reason(), timer.elapsed()),
            Duration.ofMillis(renewEvery()));
    try {
      EvaluationWatch.Outcome outcome =
          EvaluationWatch.watch(
              running, timer, this::renewEvery, () -> stopping, () -> renew(held));
      return acknowledgement(outcome, evaluation::flushDeadLetters);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopping = true;
      running.stop();
      return AcknowledgeType.RELEASE;
    } catch (ExecutionException e) {
      LOG.warn("evaluator {}: sample {} left unsettled: {}", id, r.key(), e.getCause().toString());
      return AcknowledgeType.RELEASE;
    }
  }

  /**
   * How a watched sample is acknowledged; an evaluation that ended writes its dead letters first.
   */
  static AcknowledgeType acknowledgement(EvaluationWatch.Outcome outcome, Runnable flush) {
    return switch (outcome) {
      case SETTLED -> {
        flush.run();
        yield AcknowledgeType.ACCEPT;
      }
      case UNSETTLED -> {
        flush.run();
        yield AcknowledgeType.RELEASE;
      }
      case STOPPED -> AcknowledgeType.RELEASE;
      case GAVE_UP -> AcknowledgeType.REJECT;
    };
  }

  /**
   * Renews the lock of everything held. A renewed record leaves the consumer's in-flight set until
   * a later poll hands it back (KIP-1222), so the renewal is committed and then polled for.
   */
  private void renew(List<ConsumerRecord<String, byte[]>> held) {
    held.forEach(h -> tryAcknowledge(h, AcknowledgeType.RENEW));
    commit();
    pollInto(held, Duration.ZERO);
  }

  /**
   * Polls, adding what comes to what is held (a renewed record comes back; a new one may come too).
   * In explicit mode every record in flight must be acknowledged before a poll, so whatever is held
   * and in flight is renewed first.
   */
  private void pollInto(List<ConsumerRecord<String, byte[]>> held, Duration timeout) {
    held.forEach(h -> tryAcknowledge(h, AcknowledgeType.RENEW));
    for (ConsumerRecord<String, byte[]> r : consumer.poll(timeout)) {
      if (held.stream().noneMatch(h -> sameRecord(h, r))) {
        held.add(r);
        metrics.waiting(SampleEvaluation.teamOf(r), 1);
      }
    }
  }

  /** Settles a record; one still being renewed is polled back first (for at most about a lock). */
  private void acknowledge(
      ConsumerRecord<String, byte[]> r,
      AcknowledgeType type,
      List<ConsumerRecord<String, byte[]>> held) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.lockMs());
    while (!tryAcknowledge(r, type)) {
      if (System.nanoTime() > deadline) {
        LOG.info(
            "evaluator {}: cannot {} sample {}; its lock expires and it may be evaluated again",
            id,
            type,
            r.key());
        return;
      }
      pollInto(held, Duration.ofMillis(100));
    }
  }

  /** False when the record is not in flight now (being renewed, or not this consumer's). */
  private boolean tryAcknowledge(ConsumerRecord<String, byte[]> r, AcknowledgeType type) {
    try {
      consumer.acknowledge(r, type);
      return true;
    } catch (IllegalStateException e) {
      return false;
    }
  }

  private static boolean sameRecord(ConsumerRecord<?, ?> a, ConsumerRecord<?, ?> b) {
    return a.offset() == b.offset()
        && a.partition() == b.partition()
        && a.topic().equals(b.topic());
  }

  /**
   * A third of the lock the broker granted: two renewals may be lost before another evaluator gets
   * the sample.
   */
  private long renewEvery() {
    return Math.max(
        100,
        consumer.acquisitionLockTimeoutMs().map(Integer::longValue).orElse(settings.lockMs()) / 3);
  }

  /**
   * A lost acknowledgement means a sample evaluated twice at worst; the aggregator keeps one
   * result.
   */
  private void commit() {
    consumer
        .commitSync(COMMIT_TIMEOUT)
        .forEach(
            (partition, error) ->
                error.ifPresent(
                    e ->
                        LOG.info(
                            "evaluator {}: acknowledgement on {} failed ({}); the sample may be evaluated again",
                            id,
                            partition,
                            e.toString())));
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
