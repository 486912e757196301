package org.fpnas.controller.aggregator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.fpnas.client.SearchSpecs;
import org.fpnas.client.fold.SearchFold;
import org.fpnas.client.fold.SearchModels;
import org.fpnas.client.wire.WireConversions;
import org.fpnas.controller.internals.ControllerMetrics;
import org.fpnas.controller.internals.DeadLetters;
import org.fpnas.controller.internals.Outgoing;
import org.fpnas.controller.internals.PoolPacing;
import org.fpnas.controller.internals.RegistryOutage;
import org.fpnas.core.SearchState;
import org.fpnas.core.StopReason;
import org.fpnas.schemas.Codecs;
import org.fpnas.schemas.RegistryUnavailableException;
import org.fpnas.schemas.SampleIds;
import org.fpnas.schemas.Topics;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.EvaluationResult;
import org.fpnas.schemas.avro.ResultStatus;
import org.fpnas.schemas.avro.SearchSpec;
import org.fpnas.schemas.avro.SearchTally;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers the results of each search's current iteration and, when every sample has a result,
 * applies the FP-NAS update of the core and publishes the new distribution with the next
 * iteration's samples ({@link IterationSamples}); a search in the asynchronous schedule goes to
 * {@link AsyncSchedule} instead. Every search is its team's and its id's. The state is laid out in
 * {@link SearchStores} so that a result costs the same whatever K is; with exactly-once processing,
 * consuming a result, the store changes, the published distribution and its samples commit
 * together, and a published distribution asks for that commit at once rather than at the next
 * commit interval, because every evaluator waits for it.
 */
final class AggregatorProcessor implements Processor<String, byte[], String, Outgoing> {
  private static final Logger LOG = LoggerFactory.getLogger(AggregatorProcessor.class);

  private final Codecs codecs;
  private final Deadlines deadlines;
  private final DeadLetters deadLetters;
  private final Placement placement;
  private final ControllerMetrics metrics;
  private final IterationSamples samples;
  private final PoolPacing pacing;

  /** The searches this task reported to the metrics, withdrawn when the task closes. */
  private final Set<String> reported = new HashSet<>();

  private final SearchModels models = new SearchModels();
  private ProcessorContext<String, Outgoing> context;
  private SearchStores stores;
  private AsyncSchedule async;
  private IterationDeadline iterationDeadline;

  AggregatorProcessor(
      Codecs codecs,
      Deadlines deadlines,
      PartitionCounts partitions,
      ControllerMetrics metrics,
      PoolPacing pacing) {
    this.codecs = codecs;
    this.deadlines = deadlines;
    this.metrics = metrics;
    this.samples = new IterationSamples(codecs, pacing, metrics);
    this.pacing = pacing;
    this.deadLetters = new DeadLetters("aggregator", codecs, LOG, metrics);
    this.placement = new Placement(partitions, deadLetters, LOG);
  }

  @Override
  public void init(ProcessorContext<String, Outgoing> context) {
    this.context = context;
    this.stores = new SearchStores(context);
    samples.init(context);
    this.iterationDeadline = new IterationDeadline(context, stores, models, codecs, deadlines);
    this.async =
        new AsyncSchedule(
            context,
            stores,
            models,
            samples,
            codecs,
            deadlines,
            metrics,
            // The pool's window as the dispatcher paces it: what keeps every evaluator busy. More
            // would only queue in the broker ahead of other teams' samples (an update needs B
            // results, not B in flight); B while the pool is unknown.
            current -> pacing.window() > 0 ? pacing.window() : current.getSampleCount(),
            new AsyncSchedule.Out() {
              @Override
              public void publish(SearchSpec spec, DistributionUpdate update, long timestamp) {
                AggregatorProcessor.this.publish(spec, update, timestamp);
              }

              @Override
              public void save(String searchId, SearchTally tally) {
                AggregatorProcessor.this.save(searchId, tally);
              }
            });
    context.schedule(
        deadlines.checkInterval(), PunctuationType.WALL_CLOCK_TIME, this::checkDeadlines);
    stores.forEachTally(this::report);
    stores.forEachEnded(this::report);
  }

  @Override
  public void close() {
    reported.forEach(metrics::forget);
    reported.clear();
  }

  /**
   * Iterations past their deadline: missing samples are dispatched again; after the last attempt
   * the iteration closes with the results it has, if there are at least kMin, and otherwise the
   * search ends (stop reason too-few-results). The update records the results it used, so a replay
   * needs no clock.
   */
  private void checkDeadlines(long nowMs) {
    List<Map.Entry<String, SearchTally>> overdue = new ArrayList<>();
    List<Map.Entry<String, SearchTally>> asynchronous = new ArrayList<>();
    stores.forEachTally(
        (id, t) -> {
          if (t.getDone()) {
            return;
          }
          if (t.getAsynchronous()) {
            asynchronous.add(Map.entry(id, t));
          } else if (iterationDeadline.overdue(t, nowMs)) {
            overdue.add(Map.entry(id, t));
          }
        });
    overdue.forEach(e -> guarded(e.getKey(), () -> onDeadline(e.getKey(), e.getValue(), nowMs)));
    asynchronous.forEach(
        e -> guarded(e.getKey(), () -> async.tick(e.getKey(), e.getValue(), nowMs)));
  }

  private static void guarded(String searchId, Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      LOG.error("search {}: deadline handling failed: {}", searchId, e.toString(), e);
    }
  }

  private void onDeadline(String searchId, SearchTally tally, long nowMs) {
    switch (iterationDeadline.handle(searchId, tally, nowMs)) {
      case CLOSE -> complete(stores.spec(tally.getTeam(), searchId), tally, nowMs);
      case END ->
          end(stores.spec(tally.getTeam(), searchId), tally, StopReason.TOO_FEW_RESULTS, nowMs);
      case DISPATCHED_AGAIN -> save(searchId, tally);
    }
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
          onSpec(record, spec, Topics.teamOf(topic));
        }
      } else {
        EvaluationResult result = codecs.results().deserialize(topic, record.value());
        if (result == null
            || !result.getSearchId().equals(record.key())
            || !placement.moved(context, record, record.key())) {
          onResult(record, result, Topics.teamOf(topic));
        }
      }
    } catch (RegistryUnavailableException e) {
      throw RegistryOutage.retryLater(e);
    } catch (RuntimeException e) {
      deadLetters.send(context, record, e.getMessage() == null ? e.toString() : e.getMessage(), e);
    }
  }

  /**
   * A spec counts only on its own team's searches topic: the topic, which the cluster's ACLs tie to
   * the team, says who sent it, never the spec's own fields. A search is its team's and its id's,
   * so another team's search of the same id is another search.
   */
  private void onSpec(Record<String, byte[]> record, SearchSpec spec, String team) {
    if (spec == null) {
      return; // a tombstone: compaction of a deleted search
    }
    String searchId = spec.getSearchId();
    if (!searchId.equals(record.key())) {
      throw new IllegalArgumentException(
          "search spec " + searchId + " arrived under key " + record.key());
    }
    if (!team.equals(spec.getTeam())) {
      throw new IllegalArgumentException(
          "search spec "
              + searchId
              + " names team '"
              + spec.getTeam()
              + "' but was written to team '"
              + team
              + "''s searches topic: a team submits searches for itself only");
    }
    SearchSpecs.checkSearchId(searchId);
    SearchTally tally = stores.tally(team, searchId);
    if (tally != null && !spec.getCancelled()) {
      if (tally.getSubmittedAtMs() != spec.getSubmittedAtMs()) {
        throw new IllegalArgumentException(
            "search id "
                + searchId
                + " is already used by team '"
                + team
                + "''s search submitted at "
                + java.time.Instant.ofEpochMilli(tally.getSubmittedAtMs())
                + ": submit under another id");
      }
      return; // the same spec again
    }
    if (tally == null) {
      if (spec.getCancelled()) {
        return;
      }
      long now = context.currentSystemTimeMs();
      SearchModels.Model model = models.of(spec);
      DistributionUpdate first = SearchFold.initialUpdate(spec, model, now);
      stores.putSpec(spec);
      stores.putCurrent(first);
      SearchTally started = SearchStores.startOf(first, now);
      started.setAsynchronous(model.hyperparameters().asynchronous());
      started.setSubmittedAtMs(spec.getSubmittedAtMs());
      publish(spec, first, record.timestamp());
      if (started.getAsynchronous()) {
        async.fill(spec, first, started, record.timestamp());
      }
      save(searchId, started);
      LOG.info(
          "search {} ({}): iteration {}, K={}, entropy {}",
          searchId,
          spec.getTeam(),
          first.getIteration(),
          first.getSampleCount(),
          first.getEntropy());
    } else if (spec.getCancelled() && !tally.getDone()) {
      end(spec, tally, StopReason.CANCELLED, record.timestamp());
    }
  }

  /** Ends a search where it is (a cancel, or too few results), dropping what it waited for. */
  private void end(SearchSpec spec, SearchTally tally, StopReason reason, long timestamp) {
    String team = spec.getTeam();
    String searchId = spec.getSearchId();
    DistributionUpdate stopped =
        SearchFold.stopped(stores.current(team, searchId), reason, context.currentSystemTimeMs());
    stores.putSpec(spec);
    stores.putCurrent(stopped);
    stores.clearResults(team, stores.results(team, searchId));
    async.abandon(team, searchId, tally);
    tally.setDone(true);
    tally.setStopReason(stopped.getStopReason());
    tally.setReceived(0);
    save(searchId, tally);
    publish(spec, stopped, timestamp);
  }

  /** A result counts only on the evaluations topic of its search's team. */
  private void onResult(Record<String, byte[]> record, EvaluationResult result, String team) {
    if (result == null) {
      throw new IllegalArgumentException("empty evaluation result");
    }
    String searchId = result.getSearchId();
    if (!searchId.equals(record.key())) {
      throw new IllegalArgumentException(
          "result "
              + result.getSampleId()
              + " arrived under key "
              + record.key()
              + ": key each result by its search id ("
              + searchId
              + "), see docs/protocol.md");
    }
    SearchTally tally = stores.tally(team, searchId);
    if (tally == null) {
      // Another team's search is as unknown to this team as one that does not exist.
      throw new IllegalArgumentException(
          "result "
              + result.getSampleId()
              + " is for unknown search "
              + searchId
              + " of team '"
              + team
              + "'");
    }
    if (tally.getAsynchronous()) {
      async.onResult(
          result, tally, record.timestamp(), bad -> deadLetters.send(context, record, bad, null));
      return;
    }
    if (tally.getDone() || result.getIteration() < tally.getIteration()) {
      metrics.result(tally.getTeam(), "late");
      tally.setLate(tally.getLate() + 1);
      save(searchId, tally);
      LOG.debug(
          "late result {} ignored (search at iteration {})",
          result.getSampleId(),
          tally.getIteration());
      return;
    }
    String problem = problem(result, tally);
    if (problem != null) {
      metrics.result(tally.getTeam(), "invalid");
      tally.setInvalid(tally.getInvalid() + 1);
      save(searchId, tally);
      throw new IllegalArgumentException(problem);
    }
    if (stores.hasResult(team, searchId, result.getIteration(), result.getIndex())) {
      metrics.result(tally.getTeam(), "duplicate");
      tally.setDuplicates(tally.getDuplicates() + 1);
      save(searchId, tally);
      return;
    }
    EvaluationResult usable =
        usable(result, tally, bad -> deadLetters.send(context, record, bad, null));
    stores.addResult(team, usable);
    tally.setReceived(tally.getReceived() + 1);
    metrics.result(tally.getTeam(), "counted");
    if (tally.getReceived() >= tally.getSampleCount()) {
      complete(stores.spec(team, searchId), tally, record.timestamp());
    } else {
      save(searchId, tally);
    }
  }

  private void complete(SearchSpec spec, SearchTally tally, long timestamp) {
    String searchId = spec.getSearchId();
    SearchModels.Model model = models.of(spec);
    String team = spec.getTeam();
    DistributionUpdate current = stores.current(team, searchId);
    SearchState state = WireConversions.state(model.space(), current);
    List<EvaluationResult> results = stores.results(team, searchId);
    // In sample id order, as the update names them and as a replay takes them.
    List<EvaluationResult> usable =
        results.stream()
            .filter(r -> r.getStatus() == ResultStatus.OK)
            .sorted(Comparator.comparing(EvaluationResult::getSampleId))
            .toList();
    long now = context.currentSystemTimeMs();
    DistributionUpdate next =
        SearchFold.next(spec, model, state, usable, current.getSampleCount(), now);
    metrics.iterationClosed(
        spec.getTeam(), Duration.ofMillis(next.getCreatedAtMs() - current.getCreatedAtMs()));
    stores.clearResults(team, results);
    stores.putCurrent(next);
    SearchTally opened = SearchStores.startOf(next, now);
    opened.setRedispatched(tally.getRedispatched());
    opened.setDuplicates(tally.getDuplicates());
    opened.setLate(tally.getLate());
    opened.setFailed(tally.getFailed());
    opened.setInvalid(tally.getInvalid());
    opened.setSubmittedAtMs(tally.getSubmittedAtMs());
    save(searchId, opened);
    publish(spec, next, timestamp);
    LOG.info(
        "search {}: iteration {} done ({} results, {} used), K={}, entropy {}{}",
        searchId,
        current.getIteration(),
        current.getSampleCount(),
        usable.size(),
        next.getSampleCount(),
        next.getEntropy(),
        next.getDone() ? ", finished: " + next.getStopReason() : "");
  }

  private static String problem(EvaluationResult r, SearchTally tally) {
    if (r.getIteration() > tally.getIteration()) {
      return "result "
          + r.getSampleId()
          + " is for iteration "
          + r.getIteration()
          + ", but search "
          + r.getSearchId()
          + " is at iteration "
          + tally.getIteration();
    }
    if (r.getIndex() < 0 || r.getIndex() >= tally.getSampleCount()) {
      return "result "
          + r.getSampleId()
          + " has index "
          + r.getIndex()
          + ", but iteration "
          + tally.getIteration()
          + " has samples 0.."
          + (tally.getSampleCount() - 1);
    }
    return commonProblem(r);
  }

  /** What makes a result unreadable in either schedule: its id, or an OK without measurements. */
  static String commonProblem(EvaluationResult r) {
    String expected = SampleIds.of(r.getSearchId(), r.getIteration(), r.getIndex());
    if (!expected.equals(r.getSampleId())) {
      return "result has sample id " + r.getSampleId() + ", expected " + expected;
    }
    if (r.getStatus() == ResultStatus.OK && (r.getLogLikelihood() == null || r.getCost() == null)) {
      return "OK result " + r.getSampleId() + " lacks a log-likelihood or a cost";
    }
    return null;
  }

  /**
   * The result as it counts: one with a non-finite likelihood or a bad cost closes its sample as
   * FAILED (so that the batch can complete), and the reason goes to {@code deadLetter}; failures
   * are counted in the tally.
   */
  static EvaluationResult usable(
      EvaluationResult result, SearchTally tally, Consumer<String> deadLetter) {
    EvaluationResult usable = result;
    String bad = badMeasurement(result);
    if (bad != null) {
      usable =
          EvaluationResult.newBuilder(result)
              .setStatus(ResultStatus.FAILED)
              .setLogLikelihood(null)
              .setCost(null)
              .setError(bad)
              .build();
      tally.setInvalid(tally.getInvalid() + 1);
      deadLetter.accept(bad);
    }
    if (usable.getStatus() == ResultStatus.FAILED) {
      tally.setFailed(tally.getFailed() + 1);
    }
    return usable;
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

  private void save(String searchId, SearchTally tally) {
    stores.putTally(searchId, tally);
    report(searchId, tally);
  }

  private void report(String searchId, SearchTally tally) {
    String key = SearchStores.key(tally.getTeam(), searchId);
    metrics.search(
        key,
        tally.getTeam(),
        tally.getDone(),
        tally.getStopReason(),
        tally.getSampleCount(),
        tally.getReceived());
    reported.add(key);
  }

  /**
   * Publishes a distribution with its iteration's samples (or, for a search's last, its end to the
   * dispatcher) and asks for the commit that makes them visible, now. In the asynchronous schedule
   * the caller draws the samples ({@link AsyncSchedule#fill}).
   */
  private void publish(SearchSpec spec, DistributionUpdate update, long timestamp) {
    String topic = Topics.forTeam(update.getTeam()).distributions();
    context.forward(
        new Record<>(
            update.getSearchId(),
            new Outgoing(topic, codecs.updates().serialize(topic, update)),
            timestamp),
        AggregatorTopology.DISTRIBUTIONS_SINK);
    if (update.getDone() || spec.getCancelled()) {
      samples.ended(update.getTeam(), update.getSearchId(), timestamp);
      models.forget(spec);
    } else if (!models.of(spec).hyperparameters().asynchronous()) {
      samples.draw(spec, models.of(spec), update, timestamp);
    }
    context.commit();
  }
}
