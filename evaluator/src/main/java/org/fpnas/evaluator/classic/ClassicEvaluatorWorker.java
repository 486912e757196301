package org.fpnas.evaluator.classic;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.fpnas.evaluator.worker.EvaluationLimit;
import org.fpnas.evaluator.worker.EvaluationThread;
import org.fpnas.evaluator.worker.EvaluationWatch;
import org.fpnas.evaluator.worker.EvaluatorMetrics;
import org.fpnas.evaluator.worker.PoolWorker;
import org.fpnas.evaluator.worker.SampleEvaluation;
import org.fpnas.schemas.SampleIds;
import org.fpnas.schemas.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One evaluator of the classic consumer group: a consumer of the samples of its partitions, held in
 * a weighted fair queue, and the {@link SampleEvaluation} that evaluates them one at a time. The
 * consumer's thread waits for each evaluation, which runs on a thread of its own so that one past
 * the time limit can be given up: its sample is settled FAILED and the worker goes on.
 *
 * <p>Before it evaluates a sample the worker commits which sample it begins and which delivery of
 * it this is ({@link UnfinishedDelivery}, in the commit's metadata): a sample that kills its
 * worker's process is read again by the partition's next owner, which gives it up FAILED once the
 * delivery limit is reached instead of dying of it too.
 */
public final class ClassicEvaluatorWorker extends PoolWorker {
  private static final Logger LOG = LoggerFactory.getLogger(ClassicEvaluatorWorker.class);

  private final KafkaConsumer<String, byte[]> consumer;
  private final SampleEvaluation evaluation;
  private static final Duration IDLE_POLL = Duration.ofMillis(200);
  private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(5);

  /**
   * What the consumer may take beyond the time limit between two polls: an evaluation given up has
   * a grace period to end, and its FAILED result may be retried for up to 5 minutes.
   */
  static final Duration POLL_MARGIN = Duration.ofMinutes(5);

  /** How long an evaluation given up at the time limit has to end on its interrupt. */
  private static final Duration GRACE = Duration.ofSeconds(10);

  /**
   * Samples held per partition before it is paused: a small search's sample behind a large one's
   * must reach the fair queue.
   */
  private static final int HELD_PER_PARTITION = 16;

  private final FairQueue<ConsumerRecord<String, byte[]>> queue;
  private final OffsetTracker offsets = new OffsetTracker();
  private final EvaluatorMetrics metrics;
  private final KafkaClientMetrics consumerMetrics;
  private final EvaluationLimit limit;
  private final int deliveryLimit;
  private final EvaluationThread evaluating;

  public ClassicEvaluatorWorker(
      String id,
      String bootstrapServers,
      Map<String, String> clientSettings,
      EvaluationLimit limit,
      int deliveryLimit,
      boolean fair,
      ToDoubleFunction<String> weightOfTeam,
      EvaluatorMetrics metrics,
      Function<java.util.function.BooleanSupplier, SampleEvaluation> evaluation) {
    super(id);
    this.metrics = metrics;
    this.limit = limit;
    this.deliveryLimit = checkDeliveryLimit(deliveryLimit);
    this.queue = new FairQueue<>(fair, weightOfTeam);
    Properties c =
        PoolWorker.consumerSettings(bootstrapServers, clientSettings, Topics.EVALUATORS_GROUP, id);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // Samples are published in transactions; an aborted iteration must never be evaluated.
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    // A few samples per fetch, so that the fair queue has a choice; full partitions are paused.
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "64");
    c.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "3000");
    // A long fetch wait keeps a fetch parked at the broker while the worker evaluates, and the
    // broker answers it the moment a sample arrives: the sample is in hand when the evaluation
    // ends. With a short wait the fetch came back empty mid-evaluation, and a newly arrived sample
    // (a small team's, say) waited one more whole evaluation behind the backlog before the next
    // poll saw it.
    c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "500");
    // Evaluators joining or leaving move only the partitions that change hands: the others keep
    // evaluating through the rebalance.
    c.put(
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        CooperativeStickyAssignor.class.getName());
    // A dead evaluator's samples go to the others after this long.
    c.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
    // The worker polls between evaluations only, so one evaluation may take this long before the
    // group takes the worker's partitions away (a dead process is noticed by the session timeout
    // above): the time limit on one evaluation and the give-up after it, 20 minutes with the
    // default limit (a DJL search's first sample trains the supernet's warm-up as well, minutes on
    // a busy CPU, past the consumer's default of 5 minutes). A client setting given to the service
    // wins.
    c.putIfAbsent(
        ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG,
        Long.toString(limit.max().plus(POLL_MARGIN).toMillis()));
    // A rebalance may wait that long for a member to rejoin; the connection to the group's
    // coordinator must not be closed as idle meanwhile.
    c.putIfAbsent(
        ConsumerConfig.CONNECTIONS_MAX_IDLE_MS_CONFIG,
        c.getProperty(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG));
    c.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1000");
    this.consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    this.consumerMetrics = new KafkaClientMetrics(consumer);
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
    try {
      consumer.subscribe(Topics.SAMPLES_PATTERN, new Rebalances());
      while (!stopping) {
        try {
          for (ConsumerRecord<String, byte[]> r :
              consumer.poll(queue.isEmpty() ? IDLE_POLL : Duration.ZERO)) {
            offsets.received(new TopicPartition(r.topic(), r.partition()), r.offset());
            queue.add(SampleEvaluation.teamOf(r), searchOf(r), r);
            metrics.waiting(SampleEvaluation.teamOf(r), 1);
          }
          pauseFullPartitions();
          FairQueue.Entry<ConsumerRecord<String, byte[]>> next = queue.next();
          if (next != null) {
            metrics.waiting(next.team(), -1);
            ConsumerRecord<String, byte[]> r = next.item();
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            int delivery = begin(tp, r.offset());
            if (delivery >= deliveryLimit) {
              evaluation.giveUp(r, delivery - 1);
              offsets.done(tp, r.offset());
            } else if (evaluate(r)) {
              offsets.done(tp, r.offset());
            }
          }
          evaluation.flushDeadLetters();
          var commit = offsets.toCommit(this::position);
          if (!commit.isEmpty()) {
            // Asynchronous: a lost commit only means a sample evaluated twice, and the aggregator
            // keeps one.
            consumer.commitAsync(commit, this::committed);
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
        consumer.commitSync(offsets.toCommit(), COMMIT_TIMEOUT);
      } catch (RuntimeException e) {
        LOG.debug("evaluator {}: final commit failed: {}", id, e.toString());
      }
      queue.removeIf(r -> true).forEach(r -> metrics.waiting(SampleEvaluation.teamOf(r), -1));
      evaluating.close();
      consumerMetrics.close();
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
      evaluation.close();
    }
  }

  /**
   * Records that this worker begins the sample at this offset, before it evaluates it, and returns
   * the sample's delivery. A commit that fails (the group rebalances, the broker is away) leaves
   * the count one short at worst; the evaluation goes on.
   */
  private int begin(TopicPartition tp, long offset) {
    int delivery = offsets.begin(tp, offset);
    try {
      consumer.commitSync(offsets.beginning(tp), COMMIT_TIMEOUT);
    } catch (WakeupException e) {
      offsets.abandon(tp);
      throw e;
    } catch (CommitFailedException | RebalanceInProgressException | RetriableException e) {
      LOG.debug(
          "evaluator {}: delivery {} of {} offset {} not recorded: {}",
          id,
          delivery,
          tp,
          offset,
          e.getMessage());
    }
    return delivery;
  }

  /** The delivery limit of a sample (at least 2: one evaluation, and the delivery that ends it). */
  public static int checkDeliveryLimit(int limit) {
    if (limit < 2) {
      throw new IllegalArgumentException(
          "delivery limit must be at least 2 (one evaluation and the delivery that gives the sample"
              + " up), got "
              + limit);
    }
    return limit;
  }

  /**
   * Evaluates a sample on the evaluation thread and waits for it, up to the time limit; false when
   * it was left unsettled, so that it is not marked done. A sample given up at the limit is settled
   * (FAILED). The worker stopping does not cut an evaluation short: it ends, or reaches the limit.
   */
  private boolean evaluate(ConsumerRecord<String, byte[]> r) {
    EvaluationLimit.Timer timer = limit.start();
    EvaluationThread.Running running =
        evaluating.start(
            claim -> evaluation.handle(r, claim),
            () -> evaluation.overran(r, limit.reason(), timer.elapsed()),
            GRACE);
    try {
      EvaluationWatch.Outcome outcome =
          EvaluationWatch.watch(running, timer, () -> Long.MAX_VALUE, () -> false, () -> {});
      return outcome != EvaluationWatch.Outcome.UNSETTLED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running.stop();
      return false;
    } catch (ExecutionException e) {
      // As when the evaluation ran on this thread: what it throws (a result it cannot publish)
      // stops the worker.
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /**
   * The outcome of an asynchronous commit. Without a callback the consumer logs every failure as an
   * error with its stack trace, though a commit that a rebalance or a retriable fault cut short
   * only means samples evaluated twice (the aggregator keeps one) and the next commit covers it;
   * anything else is a real fault and is logged as one.
   */
  private void committed(Map<TopicPartition, OffsetAndMetadata> offsets, Exception failure) {
    if (failure == null) {
      return;
    }
    if (failure instanceof CommitFailedException
        || failure instanceof RebalanceInProgressException
        || failure instanceof RetriableException) {
      LOG.debug(
          "evaluator {}: commit of {} cut short ({}); the next one covers it",
          id,
          offsets,
          failure.getMessage());
    } else {
      LOG.warn("evaluator {}: commit of {} failed", id, offsets, failure);
    }
  }

  private long position(TopicPartition tp) {
    try {
      return consumer.assignment().contains(tp) ? consumer.position(tp, Duration.ZERO) : -1;
    } catch (RuntimeException e) {
      return -1; // unknown right now: commit what is known to be done
    }
  }

  private void pauseFullPartitions() {
    Set<TopicPartition> paused = consumer.paused();
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

  /** The search of a sample from its key (a sample id), without decoding it. */
  private static String searchOf(ConsumerRecord<String, byte[]> r) {
    return SampleEvaluation.teamOf(r) + "/" + SampleIds.searchOf(r.key());
  }

  /**
   * Samples held for partitions that move to another evaluator are dropped: the new owner reads
   * them again.
   */
  private final class Rebalances implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      try {
        consumer.commitSync(offsets.toCommit(), COMMIT_TIMEOUT);
      } catch (RuntimeException e) {
        LOG.info("evaluator {}: commit on revocation failed: {}", id, e.getMessage());
      }
      drop(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      drop(partitions);
    }

    /** Reads which samples the partitions' earlier owners began and did not finish. */
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (partitions.isEmpty()) {
        return;
      }
      try {
        consumer.committed(Set.copyOf(partitions), COMMIT_TIMEOUT).forEach(offsets::assigned);
      } catch (RuntimeException e) {
        if (e instanceof WakeupException) {
          throw e;
        }
        LOG.info(
            "evaluator {}: unfinished deliveries of {} not read ({}); their counts start again",
            id,
            partitions,
            e.getMessage());
      }
    }

    private void drop(Collection<TopicPartition> partitions) {
      queue
          .removeIf(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())))
          .forEach(r -> metrics.waiting(SampleEvaluation.teamOf(r), -1));
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
}
