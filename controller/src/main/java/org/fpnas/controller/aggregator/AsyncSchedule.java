package org.fpnas.controller.aggregator;

import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.fpnas.client.fold.SearchFold;
import org.fpnas.client.fold.SearchModels;
import org.fpnas.client.wire.WireConversions;
import org.fpnas.cluster.RecentlyUsed;
import org.fpnas.controller.internals.ControllerMetrics;
import org.fpnas.controller.internals.Outgoing;
import org.fpnas.controller.internals.Samples;
import org.fpnas.core.Distribution;
import org.fpnas.schemas.Codecs;
import org.fpnas.schemas.Topics;
import org.fpnas.schemas.avro.ArchitectureSample;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.EvaluationResult;
import org.fpnas.schemas.avro.ResultStatus;
import org.fpnas.schemas.avro.SearchSpec;
import org.fpnas.schemas.avro.SearchTally;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The asynchronous schedule in the aggregator (docs/design.md, "The asynchronous schedule"): a
 * search keeps its window of samples in flight, the evaluator pool's window (the update batch B,
 * the K of the current entropy, while the pool is unknown); each result frees a slot, which a new
 * draw from the distribution of that moment fills; every B results the distribution is updated with
 * them, in draw order, each with the architecture drawn for it; near the iteration budget no more
 * is drawn than the remaining updates take. A sample is a pure function of the seed, its draw
 * number and the distribution it was drawn from, and each update names the results it used, so a
 * replay regenerates the search bit for bit from its events. A result counts while its sample is in
 * flight, however many updates ago it was drawn; a sample past its deadline is sent again, and
 * after the last attempt given up and replaced by a new draw, so no sample holds the search up.
 */
final class AsyncSchedule {
  private static final Logger LOG = LoggerFactory.getLogger(AsyncSchedule.class);

  /** What the aggregator does with an update and a changed tally. */
  interface Out {
    void publish(SearchSpec spec, DistributionUpdate update, long timestamp);

    void save(String searchId, SearchTally tally);
  }

  private final ProcessorContext<String, Outgoing> context;
  private final SearchStores stores;
  private final SearchModels models;
  private final IterationSamples samples;
  private final Codecs codecs;
  private final Deadlines deadlines;
  private final ControllerMetrics metrics;
  private final ToIntFunction<DistributionUpdate> window;
  private final Out out;

  AsyncSchedule(
      ProcessorContext<String, Outgoing> context,
      SearchStores stores,
      SearchModels models,
      IterationSamples samples,
      Codecs codecs,
      Deadlines deadlines,
      ControllerMetrics metrics,
      ToIntFunction<DistributionUpdate> window,
      Out out) {
    this.context = context;
    this.stores = stores;
    this.models = models;
    this.samples = samples;
    this.codecs = codecs;
    this.deadlines = deadlines;
    this.metrics = metrics;
    this.window = window;
    this.out = out;
  }

  /**
   * Draws until the search has its window in flight (or what its remaining updates take), from its
   * current distribution; the tally is changed, not saved.
   */
  void fill(SearchSpec spec, DistributionUpdate current, SearchTally tally, long causeMs) {
    fill(drawing(spec, current), tally, causeMs);
  }

  private void fill(Drawing drawing, SearchTally tally, long causeMs) {
    if (tally.getDone()) {
      return;
    }
    SearchSpec spec = drawing.spec();
    DistributionUpdate current = drawing.current();
    SearchModels.Model model = models.of(spec);
    // Near the iteration budget no more is drawn than its remaining updates take at the current
    // K, so that the samples in flight when the last update is made are few, not the whole window.
    long left =
        (long) current.getSampleCount()
                * Math.max(0, model.hyperparameters().maxIterations() - current.getIteration())
            - tally.getReceived();
    int wanted = (int) Math.min(window.applyAsInt(current), Math.max(left, 0));
    if (tally.getInFlight() >= wanted) {
      return;
    }
    long now = context.currentSystemTimeMs();
    while (tally.getInFlight() < wanted) {
      ArchitectureSample sample =
          Samples.drawn(
              spec, model.fpnas(), drawing.distribution(), current, tally.getDraws(), now);
      stores.putInFlight(sample);
      samples.send(sample, causeMs);
      tally.setDraws(tally.getDraws() + 1);
      tally.setInFlight(tally.getInFlight() + 1);
    }
  }

  /** A result of the search's team: counted while its sample is in flight. */
  void onResult(
      EvaluationResult result, SearchTally tally, long timestamp, Consumer<String> deadLetter) {
    String searchId = result.getSearchId();
    if (tally.getDone()) {
      late(searchId, tally, result);
      return;
    }
    String problem = problem(result, tally);
    if (problem != null) {
      metrics.result(tally.getTeam(), "invalid");
      tally.setInvalid(tally.getInvalid() + 1);
      out.save(searchId, tally);
      throw new IllegalArgumentException(problem);
    }
    String team = tally.getTeam();
    if (stores.hasResult(team, searchId, result.getIteration(), result.getIndex())) {
      metrics.result(tally.getTeam(), "duplicate");
      tally.setDuplicates(tally.getDuplicates() + 1);
      out.save(searchId, tally);
      return;
    }
    if (stores.inFlight(team, result.getSampleId()) == null) {
      // Used by an earlier update, or given up after its last attempt.
      late(searchId, tally, result);
      return;
    }
    EvaluationResult usable = AggregatorProcessor.usable(result, tally, deadLetter);
    stores.addResult(team, usable);
    tally.setReceived(tally.getReceived() + 1);
    tally.setInFlight(tally.getInFlight() - 1);
    metrics.result(tally.getTeam(), "counted");
    Drawing drawing = drawing(team, searchId, tally);
    if (tally.getReceived() >= tally.getSampleCount()) {
      update(drawing, tally, timestamp);
    } else {
      fill(drawing, tally, timestamp);
      out.save(searchId, tally);
    }
  }

  /**
   * The update of a batch: the core update on its OK results, each with the architecture drawn for
   * it; then the window is filled from the new distribution.
   */
  private void update(Drawing drawing, SearchTally tally, long timestamp) {
    SearchSpec spec = drawing.spec();
    String searchId = spec.getSearchId();
    SearchModels.Model model = models.of(spec);
    String team = spec.getTeam();
    DistributionUpdate current = drawing.current();
    List<EvaluationResult> results = stores.results(team, searchId);
    List<EvaluationResult> usable =
        results.stream()
            .filter(r -> r.getStatus() == ResultStatus.OK)
            // In draw order, as the in-process driver takes a batch and the update names them.
            .sorted(Comparator.comparingInt(EvaluationResult::getIndex))
            .toList();
    long now = context.currentSystemTimeMs();
    DistributionUpdate next =
        SearchFold.next(
            spec,
            model,
            WireConversions.state(model.space(), current),
            usable,
            r -> WireConversions.architecture(stores.inFlight(team, r.getSampleId()).getChoices()),
            current.getSampleCount(),
            now);
    for (EvaluationResult r : results) {
      stores.removeInFlight(stores.inFlight(team, r.getSampleId()));
    }
    stores.clearResults(team, results);
    stores.putCurrent(next);
    tally.setIteration(next.getIteration());
    tally.setSampleCount(next.getSampleCount());
    tally.setDone(next.getDone());
    tally.setStopReason(next.getStopReason());
    tally.setReceived(0);
    tally.setIterationStartedAtMs(now);
    if (next.getDone()) {
      abandon(team, searchId, tally);
    }
    out.publish(spec, next, timestamp);
    if (!next.getDone()) {
      fill(drawing(spec, next), tally, timestamp);
    }
    out.save(searchId, tally);
    LOG.info(
        "search {}: update {} ({} results, {} used), next after {}, {} in flight, entropy {}{}",
        searchId,
        next.getIteration(),
        results.size(),
        usable.size(),
        next.getSampleCount(),
        tally.getInFlight(),
        next.getEntropy(),
        next.getDone() ? ", finished: " + next.getStopReason() : "");
  }

  /**
   * Once a second: samples past their deadline are sent again, or given up after the last attempt
   * and replaced; a window that grew with the pool is filled.
   */
  void tick(String searchId, SearchTally tally, long nowMs) {
    String team = tally.getTeam();
    Drawing drawing = drawing(team, searchId, tally);
    SearchSpec spec = drawing.spec();
    int given = 0;
    int again = 0;
    long deadline = deadlines.deadline().toMillis();
    for (ArchitectureSample s : stores.inFlightOf(team, searchId)) {
      if (nowMs - s.getCreatedAtMs() < deadline
          || stores.hasResult(team, searchId, s.getIteration(), s.getIndex())) {
        continue;
      }
      if (s.getAttempt() >= deadlines.maxAttempts()) {
        stores.removeInFlight(s);
        samples.givenUp(s, nowMs);
        tally.setInFlight(tally.getInFlight() - 1);
        tally.setLost(tally.getLost() + 1);
        given++;
      } else {
        ArchitectureSample retry =
            ArchitectureSample.newBuilder(s)
                .setAttempt(s.getAttempt() + 1)
                .setCreatedAtMs(nowMs)
                .build();
        stores.putInFlight(retry);
        String topic = Topics.forTeam(spec.getTeam()).samples();
        // Encoded for the team's samples topic: the dispatcher publishes these bytes unchanged.
        context.forward(
            new Record<>(
                retry.getSampleId(),
                new Outgoing(Topics.REDISPATCH_TOPIC, codecs.samples().serialize(topic, retry)),
                nowMs),
            AggregatorTopology.SAMPLES_SINK);
        again++;
      }
    }
    int before = tally.getDraws();
    fill(drawing, tally, nowMs);
    if (given + again > 0 || tally.getDraws() != before) {
      tally.setRedispatched(tally.getRedispatched() + again);
      out.save(searchId, tally);
    }
    if (given + again > 0) {
      LOG.warn(
          "search {}: {} sample(s) past their deadline dispatched again, {} given up after {}"
              + " attempts and replaced",
          searchId,
          again,
          given,
          deadlines.maxAttempts());
    }
  }

  /**
   * What a search draws from: its spec, its current distribution and that distribution decoded. A
   * result and a tick take it from here rather than decode both from the stores; it is checked
   * against the tally's iteration, which is in the store, so a task restored from its changelog
   * never draws from a distribution it has not.
   */
  private record Drawing(SearchSpec spec, DistributionUpdate current, Distribution distribution) {}

  /** The searches drawn for lately, by team and id; a miss only costs the decode. */
  private final RecentlyUsed<String, Drawing> drawings = new RecentlyUsed<>(256);

  private Drawing drawing(String team, String searchId, SearchTally tally) {
    Drawing d = drawings.get(SearchStores.key(team, searchId));
    if (d != null && d.current().getIteration() == tally.getIteration()) {
      return d;
    }
    return drawing(stores.spec(team, searchId), stores.current(team, searchId));
  }

  private Drawing drawing(SearchSpec spec, DistributionUpdate current) {
    Drawing d =
        new Drawing(spec, current, WireConversions.distribution(models.of(spec).space(), current));
    drawings.put(SearchStores.key(spec.getTeam(), spec.getSearchId()), d);
    return d;
  }

  /** The search ended: its samples in flight are dropped (the dispatcher frees their slots). */
  void abandon(String team, String searchId, SearchTally tally) {
    drawings.remove(SearchStores.key(team, searchId));
    for (ArchitectureSample s : stores.inFlightOf(team, searchId)) {
      stores.removeInFlight(s);
    }
    tally.setInFlight(0);
  }

  private void late(String searchId, SearchTally tally, EvaluationResult result) {
    metrics.result(tally.getTeam(), "late");
    tally.setLate(tally.getLate() + 1);
    out.save(searchId, tally);
    LOG.debug("late result {} ignored", result.getSampleId());
  }

  private static String problem(EvaluationResult r, SearchTally tally) {
    if (r.getIteration() < 0 || r.getIteration() > tally.getIteration()) {
      return "result "
          + r.getSampleId()
          + " names distribution "
          + r.getIteration()
          + ", but search "
          + r.getSearchId()
          + " is at "
          + tally.getIteration();
    }
    if (r.getIndex() < 0 || r.getIndex() >= tally.getDraws()) {
      return "result "
          + r.getSampleId()
          + " has draw "
          + r.getIndex()
          + ", but search "
          + r.getSearchId()
          + " has drawn 0.."
          + (tally.getDraws() - 1);
    }
    return AggregatorProcessor.commonProblem(r);
  }
}
