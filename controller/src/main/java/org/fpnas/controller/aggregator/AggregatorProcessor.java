package org.fpnas.controller.aggregator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.fpnas.controller.fold.SearchFold;
import org.fpnas.controller.fold.SearchModels;
import org.fpnas.controller.fold.WireConversions;
import org.fpnas.controller.internals.ControllerMetrics;
import org.fpnas.controller.internals.DeadLetters;
import org.fpnas.controller.internals.Outgoing;
import org.fpnas.controller.sampler.Samples;
import org.fpnas.core.Architecture;
import org.fpnas.core.Distribution;
import org.fpnas.core.Evaluation;
import org.fpnas.core.Sampler;
import org.fpnas.core.SearchState;
import org.fpnas.schemas.Codecs;
import org.fpnas.schemas.SampleIds;
import org.fpnas.schemas.Topics;
import org.fpnas.schemas.avro.ArchitectureSample;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.EvaluationResult;
import org.fpnas.schemas.avro.ResultStatus;
import org.fpnas.schemas.avro.SearchProgress;
import org.fpnas.schemas.avro.SearchSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers the results of each search's current iteration and, when every sample has a result,
 * applies the FP-NAS update of the core and publishes the new distribution. The state store holds
 * one {@link SearchProgress} per search; with exactly-once processing, consuming a result, the
 * store change and the published distribution commit together.
 */
final class AggregatorProcessor implements Processor<String, byte[], String, Outgoing> {
  private static final Logger LOG = LoggerFactory.getLogger(AggregatorProcessor.class);

  private final Codecs codecs;
  private final Deadlines deadlines;
  private final DeadLetters deadLetters;
  private final Placement placement;
  private final ControllerMetrics metrics;

  /** The searches this task reported to the metrics, withdrawn when the task closes. */
  private final Set<String> reported = new HashSet<>();

  private final SearchModels models = new SearchModels();
  private ProcessorContext<String, Outgoing> context;
  private KeyValueStore<String, SearchProgress> store;

  AggregatorProcessor(
      Codecs codecs, Deadlines deadlines, PartitionCounts partitions, ControllerMetrics metrics) {
    this.codecs = codecs;
    this.deadlines = deadlines;
    this.metrics = metrics;
    this.deadLetters = new DeadLetters("aggregator", codecs, LOG, metrics);
    this.placement = new Placement(partitions, deadLetters, LOG);
  }

  @Override
  public void init(ProcessorContext<String, Outgoing> context) {
    this.context = context;
    this.store = context.getStateStore(AggregatorTopology.STORE);
    context.schedule(
        deadlines.checkInterval(), PunctuationType.WALL_CLOCK_TIME, this::checkDeadlines);
    try (KeyValueIterator<String, SearchProgress> all = store.all()) {
      all.forEachRemaining(kv -> report(kv.value));
    }
  }

  @Override
  public void close() {
    reported.forEach(metrics::forget);
    reported.clear();
  }

  /**
   * Iterations past their deadline: missing samples are dispatched again; after the last attempt
   * the iteration closes with the results it has, if there are at least kMin. The update records
   * the results it used, so a replay needs no clock.
   */
  private void checkDeadlines(long nowMs) {
    List<SearchProgress> overdue = new ArrayList<>();
    try (KeyValueIterator<String, SearchProgress> all = store.all()) {
      while (all.hasNext()) {
        SearchProgress p = all.next().value;
        if (!p.getCurrent().getDone()
            && nowMs - p.getIterationStartedAtMs() >= deadlines.deadline().toMillis()) {
          overdue.add(p);
        }
      }
    }
    for (SearchProgress p : overdue) {
      try {
        onDeadline(p, nowMs);
      } catch (RuntimeException e) {
        LOG.error(
            "search {}: deadline handling failed: {}", p.getSpec().getSearchId(), e.toString(), e);
      }
    }
  }

  private void onDeadline(SearchProgress progress, long nowMs) {
    SearchSpec spec = progress.getSpec();
    SearchModels.Model model = models.of(spec);
    DistributionUpdate current = progress.getCurrent();
    long ok = progress.getPending().stream().filter(r -> r.getStatus() == ResultStatus.OK).count();
    if (progress.getAttempt() >= deadlines.maxAttempts() && ok >= model.hyperparameters().kMin()) {
      LOG.warn(
          "search {}: iteration {} closes after {} attempts with {} of {} samples",
          spec.getSearchId(),
          current.getIteration(),
          progress.getAttempt(),
          progress.getPending().size(),
          current.getSampleCount());
      complete(progress, nowMs);
      return;
    }
    int attempt = progress.getAttempt() + 1;
    Distribution d = WireConversions.distribution(model.space(), current);
    String topic = Topics.forTeam(spec.getTeam()).samples();
    int sent = 0;
    for (int index = 0; index < current.getSampleCount(); index++) {
      if (!hasResult(progress, index)) {
        ArchitectureSample sample =
            Samples.of(spec, model.hyperparameters().seed(), d, current, index, attempt, nowMs);
        // Encoded for the team's samples topic: the dispatcher publishes these bytes there
        // unchanged.
        byte[] payload = codecs.samples().serialize(topic, sample);
        context.forward(
            new Record<>(
                sample.getSampleId(),
                new Outgoing(AggregatorTopology.REDISPATCH_TOPIC, payload),
                nowMs),
            AggregatorTopology.SAMPLES_SINK);
        sent++;
      }
    }
    LOG.warn(
        "search {}: iteration {} missed its deadline; {} sample(s) dispatched again (attempt {})",
        spec.getSearchId(),
        current.getIteration(),
        sent,
        attempt);
    progress.setAttempt(attempt);
    progress.setIterationStartedAtMs(nowMs);
    progress.setRedispatched(progress.getRedispatched() + sent);
    save(progress);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    String topic = context.recordMetadata().map(m -> m.topic()).orElse("");
    try {
      // Only a readable record under its own search id is forwarded; the others are rejected here.
      if (Topics.SEARCHES_PATTERN.matcher(topic).matches()) {
        SearchSpec spec = codecs.specs().deserialize(topic, record.value());
        if (spec == null
            || !spec.getSearchId().equals(record.key())
            || !placement.moved(context, record, record.key())) {
          onSpec(record, spec);
        }
      } else {
        EvaluationResult result = codecs.results().deserialize(topic, record.value());
        if (result == null
            || !result.getSearchId().equals(record.key())
            || !placement.moved(context, record, record.key())) {
          onResult(record, result);
        }
      }
    } catch (RuntimeException e) {
      deadLetters.send(context, record, e.getMessage() == null ? e.toString() : e.getMessage(), e);
    }
  }

  private void onSpec(Record<String, byte[]> record, SearchSpec spec) {
    if (spec == null) {
      return; // a tombstone: compaction of a deleted search
    }
    if (!spec.getSearchId().equals(record.key())) {
      throw new IllegalArgumentException(
          "search spec " + spec.getSearchId() + " arrived under key " + record.key());
    }
    SearchProgress progress = store.get(spec.getSearchId());
    if (progress == null) {
      if (spec.getCancelled()) {
        return;
      }
      DistributionUpdate first =
          SearchFold.initialUpdate(spec, models.of(spec), context.currentSystemTimeMs());
      save(
          SearchProgress.newBuilder()
              .setSpec(spec)
              .setCurrent(first)
              .setPending(new ArrayList<>())
              .setIterationStartedAtMs(context.currentSystemTimeMs())
              .build());
      publish(first, record.timestamp());
      LOG.info(
          "search {} ({}): iteration {}, K={}, entropy {}",
          spec.getSearchId(),
          spec.getTeam(),
          first.getIteration(),
          first.getSampleCount(),
          first.getEntropy());
    } else if (spec.getCancelled() && !progress.getCurrent().getDone()) {
      DistributionUpdate stopped =
          SearchFold.cancelled(progress.getCurrent(), context.currentSystemTimeMs());
      progress.setSpec(spec);
      progress.setCurrent(stopped);
      progress.setPending(new ArrayList<>());
      save(progress);
      publish(stopped, record.timestamp());
    }
  }

  private void onResult(Record<String, byte[]> record, EvaluationResult result) {
    if (result == null) {
      throw new IllegalArgumentException("empty evaluation result");
    }
    if (!result.getSearchId().equals(record.key())) {
      throw new IllegalArgumentException(
          "result "
              + result.getSampleId()
              + " arrived under key "
              + record.key()
              + ": key each result by its search id ("
              + result.getSearchId()
              + "), see docs/protocol.md");
    }
    SearchProgress progress = store.get(result.getSearchId());
    if (progress == null) {
      throw new IllegalArgumentException(
          "result " + result.getSampleId() + " is for unknown search " + result.getSearchId());
    }
    DistributionUpdate current = progress.getCurrent();
    if (current.getDone() || result.getIteration() < current.getIteration()) {
      metrics.result(progress.getSpec().getTeam(), "late");
      progress.setLate(progress.getLate() + 1);
      save(progress);
      LOG.debug(
          "late result {} ignored (search at iteration {})",
          result.getSampleId(),
          current.getIteration());
      return;
    }
    String problem = problem(result, current);
    if (problem != null) {
      metrics.result(progress.getSpec().getTeam(), "invalid");
      progress.setInvalid(progress.getInvalid() + 1);
      save(progress);
      throw new IllegalArgumentException(problem);
    }
    if (hasResult(progress, result.getIndex())) {
      metrics.result(progress.getSpec().getTeam(), "duplicate");
      progress.setDuplicates(progress.getDuplicates() + 1);
      save(progress);
      return;
    }
    EvaluationResult usable = result;
    String bad = badMeasurement(result);
    if (bad != null) {
      // Closes the sample as FAILED, so that the iteration can complete, and reports the reason.
      usable =
          EvaluationResult.newBuilder(result)
              .setStatus(ResultStatus.FAILED)
              .setLogLikelihood(null)
              .setCost(null)
              .setError(bad)
              .build();
      progress.setInvalid(progress.getInvalid() + 1);
      deadLetters.send(context, record, bad, null);
    }
    if (usable.getStatus() == ResultStatus.FAILED) {
      progress.setFailed(progress.getFailed() + 1);
    }
    progress.getPending().add(usable);
    metrics.result(progress.getSpec().getTeam(), "counted");
    if (progress.getPending().size() >= current.getSampleCount()) {
      complete(progress, record.timestamp());
    } else {
      save(progress);
    }
  }

  private void complete(SearchProgress progress, long timestamp) {
    SearchSpec spec = progress.getSpec();
    SearchModels.Model model = models.of(spec);
    DistributionUpdate current = progress.getCurrent();
    SearchState state = WireConversions.state(model.space(), current);
    List<Evaluation> evaluations = new ArrayList<>();
    List<String> used = new ArrayList<>();
    for (EvaluationResult r : progress.getPending()) {
      if (r.getStatus() == ResultStatus.OK) {
        // The architecture is regenerated from the seed rather than trusted from the wire.
        Architecture a =
            Sampler.sample(
                state.distribution(),
                model.hyperparameters().seed(),
                r.getIteration(),
                r.getIndex());
        evaluations.add(new Evaluation(r.getIndex(), a, r.getLogLikelihood(), r.getCost()));
        used.add(r.getSampleId());
      }
    }
    used.sort(null);
    DistributionUpdate next =
        SearchFold.next(
            spec,
            model,
            state,
            evaluations,
            used,
            current.getSampleCount(),
            context.currentSystemTimeMs());
    metrics.iterationClosed(
        spec.getTeam(), Duration.ofMillis(next.getCreatedAtMs() - current.getCreatedAtMs()));
    progress.setCurrent(next);
    progress.setPending(new ArrayList<>());
    progress.setAttempt(1);
    progress.setIterationStartedAtMs(context.currentSystemTimeMs());
    save(progress);
    publish(next, timestamp);
    LOG.info(
        "search {}: iteration {} done ({} results, {} used), K={}, entropy {}{}",
        spec.getSearchId(),
        current.getIteration(),
        current.getSampleCount(),
        used.size(),
        next.getSampleCount(),
        next.getEntropy(),
        next.getDone() ? ", finished: " + next.getStopReason() : "");
  }

  private static String problem(EvaluationResult r, DistributionUpdate current) {
    if (r.getIteration() > current.getIteration()) {
      return "result "
          + r.getSampleId()
          + " is for iteration "
          + r.getIteration()
          + ", but search "
          + r.getSearchId()
          + " is at iteration "
          + current.getIteration();
    }
    if (r.getIndex() < 0 || r.getIndex() >= current.getSampleCount()) {
      return "result "
          + r.getSampleId()
          + " has index "
          + r.getIndex()
          + ", but iteration "
          + current.getIteration()
          + " has samples 0.."
          + (current.getSampleCount() - 1);
    }
    String expected = SampleIds.of(r.getSearchId(), r.getIteration(), r.getIndex());
    if (!expected.equals(r.getSampleId())) {
      return "result has sample id " + r.getSampleId() + ", expected " + expected;
    }
    if (r.getStatus() == ResultStatus.OK && (r.getLogLikelihood() == null || r.getCost() == null)) {
      return "OK result " + r.getSampleId() + " lacks a log-likelihood or a cost";
    }
    return null;
  }

  private static String badMeasurement(EvaluationResult r) {
    if (r.getStatus() != ResultStatus.OK) {
      return null;
    }
    double ll = r.getLogLikelihood();
    double cost = r.getCost();
    if (!Double.isFinite(ll)) {
      return "result " + r.getSampleId() + " has log-likelihood " + ll + "; it counts as FAILED";
    }
    if (!Double.isFinite(cost) || cost < 0) {
      return "result " + r.getSampleId() + " has cost " + cost + "; it counts as FAILED";
    }
    return null;
  }

  private static boolean hasResult(SearchProgress progress, int index) {
    for (EvaluationResult r : progress.getPending()) {
      if (r.getIndex() == index) {
        return true;
      }
    }
    return false;
  }

  private void save(SearchProgress progress) {
    store.put(progress.getSpec().getSearchId(), progress);
    report(progress);
  }

  private void report(SearchProgress progress) {
    DistributionUpdate current = progress.getCurrent();
    SearchSpec spec = progress.getSpec();
    metrics.search(
        spec.getSearchId(),
        spec.getTeam(),
        current.getDone(),
        current.getStopReason(),
        current.getSampleCount(),
        progress.getPending().size());
    reported.add(spec.getSearchId());
  }

  private void publish(DistributionUpdate update, long timestamp) {
    String topic = Topics.forTeam(update.getTeam()).distributions();
    context.forward(
        new Record<>(
            update.getSearchId(),
            new Outgoing(topic, codecs.updates().serialize(topic, update)),
            timestamp),
        AggregatorTopology.DISTRIBUTIONS_SINK);
  }
}
