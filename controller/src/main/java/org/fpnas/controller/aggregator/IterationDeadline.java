package org.fpnas.controller.aggregator;

import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.fpnas.client.fold.SearchModels;
import org.fpnas.client.wire.WireConversions;
import org.fpnas.controller.internals.Outgoing;
import org.fpnas.controller.internals.Samples;
import org.fpnas.core.Distribution;
import org.fpnas.schemas.Codecs;
import org.fpnas.schemas.Topics;
import org.fpnas.schemas.avro.ArchitectureSample;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.ResultStatus;
import org.fpnas.schemas.avro.SearchSpec;
import org.fpnas.schemas.avro.SearchTally;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A synchronous iteration past its deadline: its missing samples are dispatched again (attempt +
 * 1); after the last attempt it closes with the results it has, if there are at least kMin OK ones,
 * and otherwise the search ends (stop reason too-few-results). Closing and ending are the
 * aggregator's; this class says which, and dispatches again itself.
 */
final class IterationDeadline {
  private static final Logger LOG = LoggerFactory.getLogger(IterationDeadline.class);

  /** What the aggregator does with an iteration past its deadline. */
  enum Outcome {
    /** The samples without a result went out again; the tally is changed, not saved. */
    DISPATCHED_AGAIN,
    /** Close the iteration with the results it has. */
    CLOSE,
    /** End the search: too few results after the last attempt. */
    END
  }

  private final ProcessorContext<String, Outgoing> context;
  private final SearchStores stores;
  private final SearchModels models;
  private final Codecs codecs;
  private final Deadlines deadlines;

  IterationDeadline(
      ProcessorContext<String, Outgoing> context,
      SearchStores stores,
      SearchModels models,
      Codecs codecs,
      Deadlines deadlines) {
    this.context = context;
    this.stores = stores;
    this.models = models;
    this.codecs = codecs;
    this.deadlines = deadlines;
  }

  /** Whether the iteration of this tally is past its deadline at {@code nowMs}. */
  boolean overdue(SearchTally tally, long nowMs) {
    return nowMs - tally.getIterationStartedAtMs() >= deadlines.deadline().toMillis();
  }

  Outcome handle(String searchId, SearchTally tally, long nowMs) {
    String team = tally.getTeam();
    SearchSpec spec = stores.spec(team, searchId);
    SearchModels.Model model = models.of(spec);
    DistributionUpdate current = stores.current(team, searchId);
    long ok =
        stores.results(team, searchId).stream()
            .filter(r -> r.getStatus() == ResultStatus.OK)
            .count();
    if (tally.getAttempt() >= deadlines.maxAttempts()) {
      boolean enough = ok >= model.hyperparameters().kMin();
      LOG.warn(
          "search {}: iteration {} has {} OK results of {} samples after {} attempts (kMin = {}):"
              + " {}",
          searchId,
          current.getIteration(),
          ok,
          current.getSampleCount(),
          tally.getAttempt(),
          model.hyperparameters().kMin(),
          enough ? "it closes with them" : "the search ends");
      return enough ? Outcome.CLOSE : Outcome.END;
    }
    int attempt = tally.getAttempt() + 1;
    Distribution d = WireConversions.distribution(model.space(), current);
    String topic = Topics.forTeam(spec.getTeam()).samples();
    int sent = 0;
    for (int index = 0; index < current.getSampleCount(); index++) {
      if (!stores.hasResult(team, searchId, current.getIteration(), index)) {
        ArchitectureSample sample =
            Samples.of(spec, model.fpnas(), d, current, index, attempt, nowMs);
        // Encoded for the team's samples topic: the dispatcher publishes these bytes there
        // unchanged.
        byte[] payload = codecs.samples().serialize(topic, sample);
        context.forward(
            new Record<>(
                sample.getSampleId(), new Outgoing(Topics.REDISPATCH_TOPIC, payload), nowMs),
            AggregatorTopology.SAMPLES_SINK);
        sent++;
      }
    }
    LOG.warn(
        "search {}: iteration {} missed its deadline; {} sample(s) dispatched again (attempt {})",
        searchId,
        current.getIteration(),
        sent,
        attempt);
    tally.setAttempt(attempt);
    tally.setIterationStartedAtMs(nowMs);
    tally.setRedispatched(tally.getRedispatched() + sent);
    return Outcome.DISPATCHED_AGAIN;
  }
}
