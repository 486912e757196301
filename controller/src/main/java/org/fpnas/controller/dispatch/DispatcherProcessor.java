package org.fpnas.controller.dispatch;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.fpnas.controller.internals.Outgoing;
import org.fpnas.controller.internals.PoolPacing;
import org.fpnas.controller.internals.TeamLimits;
import org.fpnas.schemas.Codecs;
import org.fpnas.schemas.PlainAvroSerde;
import org.fpnas.schemas.TeamSettings;
import org.fpnas.schemas.Topics;
import org.fpnas.schemas.avro.AdmissionState;
import org.fpnas.schemas.avro.DispatchEvent;
import org.fpnas.schemas.avro.HeldSample;
import org.fpnas.schemas.avro.SearchAdmission;
import org.fpnas.schemas.avro.TeamDispatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatcher ({@link DispatchTopology}): every team's samples when it paces the evaluator pool
 * (the default), else those of teams with limits. Every event of a team (its samples and search
 * ends, which the aggregator writes keyed by team; results and samples dispatched again,
 * repartitioned by team) arrives on the team's partition of the dispatcher's input topics, so one
 * task owns the team's counts. The limits come from the global store of team settings ({@link
 * TeamLimits}), checked at every event and every second. The team's state lives in a changelogged
 * store and, with exactly-once, commits together with the samples it publishes: a restart neither
 * loses a held sample nor counts a slot twice.
 */
final class DispatcherProcessor implements Processor<String, byte[], String, Outgoing> {
  private static final Logger LOG = LoggerFactory.getLogger(DispatcherProcessor.class);
  private final PlainAvroSerde<DispatchEvent> events = new PlainAvroSerde<>(DispatchEvent.class);

  private final Codecs codecs;
  private final PoolPacing pacing;
  private ProcessorContext<String, Outgoing> context;
  private KeyValueStore<String, TeamDispatch> store;
  private ReadOnlyKeyValueStore<String, String> settings;
  private PoolDemand demand;

  /** Teams that hold samples their pool share keeps back: a grown share must release them. */
  private final Set<String> heldBack = new TreeSet<>();

  public DispatcherProcessor(Codecs codecs, PoolPacing pacing) {
    this.codecs = codecs;
    this.pacing = pacing;
  }

  @Override
  public void init(ProcessorContext<String, Outgoing> context) {
    this.context = context;
    this.store = context.getStateStore(DispatchTopology.DISPATCH);
    this.settings = context.getStateStore(TeamLimits.STORE);
    // A raised limit must release held samples even when no result is on its way to trigger it.
    context.schedule(
        Duration.ofSeconds(1), PunctuationType.WALL_CLOCK_TIME, this::applyChangedLimits);
    if (pacing.on()) {
      demand = new PoolDemand(context.getStateStore(PoolDemand.STORE));
      // The pool grows, or another team's demand falls: held samples must go out without waiting
      // for one of this team's own events.
      context.schedule(
          PoolDemand.PUBLISH_EVERY, PunctuationType.WALL_CLOCK_TIME, this::applyPoolShares);
    }
  }

  private void applyPoolShares(long nowMs) {
    for (String name : List.copyOf(heldBack)) {
      TeamDispatch team = store.get(name);
      if (team == null) {
        heldBack.remove(name);
        continue;
      }
      Forward out = new Forward(team, nowMs);
      Dispatcher rules = new Dispatcher(team, out);
      applyPoolShare(rules, team);
      afterEvent(rules, team);
      // Every 100 ms for each held-back team, and most times nothing is released: an unchanged
      // state rewritten would cost a store write and a changelog record in the transaction.
      if (out.decided()) {
        store.put(name, team);
      }
    }
    demand.flush((team, bytes) -> forwardDemand(team, bytes, nowMs));
  }

  private void applyPoolShare(Dispatcher rules, TeamDispatch team) {
    if (!pacing.on()) {
      return;
    }
    int window = pacing.window();
    rules.poolShare(
        window == 0
            ? 0
            : demand.shareOf(window, team.getTeam(), t -> TeamLimits.of(settings, t).weight()));
  }

  private void afterEvent(Dispatcher rules, TeamDispatch team) {
    if (!pacing.on()) {
      return;
    }
    if (rules.holdsRunnable()) {
      heldBack.add(team.getTeam());
    } else {
      heldBack.remove(team.getTeam());
    }
    demand.record(
        team.getTeam(),
        rules.demand(),
        (t, bytes) -> forwardDemand(t, bytes, context.currentSystemTimeMs()));
  }

  private void forwardDemand(String team, byte[] bytes, long timestamp) {
    context.forward(new Record<>(team, new Outgoing(PoolDemand.TOPIC, bytes), timestamp));
  }

  private void applyChangedLimits(long nowMs) {
    List<TeamDispatch> changed = new ArrayList<>();
    try (KeyValueIterator<String, TeamDispatch> all = store.all()) {
      all.forEachRemaining(
          kv -> {
            if (limitsChanged(kv.value) || (pacing.on() && !kv.value.getHeld().isEmpty())) {
              changed.add(kv.value);
            }
          });
    }
    for (TeamDispatch team : changed) {
      boolean limits = limitsChanged(team);
      Forward out = new Forward(team, nowMs);
      Dispatcher rules = new Dispatcher(team, out);
      applyLimits(rules, team);
      applyPoolShare(rules, team);
      afterEvent(rules, team);
      if (limits || out.decided()) { // paced, a team that only holds samples is visited too
        store.put(team.getTeam(), team);
      }
    }
  }

  private boolean limitsChanged(TeamDispatch team) {
    TeamSettings s = TeamLimits.of(settings, team.getTeam());
    return s.maxInflight() != team.getMaxInflight() || s.maxSearches() != team.getMaxSearches();
  }

  private void applyLimits(Dispatcher rules, TeamDispatch team) {
    if (limitsChanged(team)) {
      TeamSettings s = TeamLimits.of(settings, team.getTeam());
      LOG.info(
          "team {}: at most {} samples in flight, {} searches running (0: no limit)",
          team.getTeam(),
          s.maxInflight(),
          s.maxSearches());
      rules.settings(s.maxInflight(), s.maxSearches());
    }
  }

  @Override
  public void process(Record<String, byte[]> record) {
    DispatchEvent e = events.deserialize(DispatchTopology.DISPATCH, record.value());
    TeamDispatch team = store.get(e.getTeam());
    if (team == null) {
      team = Dispatcher.empty(e.getTeam());
    }
    Dispatcher rules = new Dispatcher(team, new Forward(team, record.timestamp()));
    applyLimits(rules, team);
    applyPoolShare(rules, team);
    switch (e.getKind()) {
      case SAMPLE ->
          rules.sample(e.getSearchId(), e.getSampleId(), e.getIteration(), e.getPayload());
      case REDISPATCH ->
          rules.redispatch(e.getSearchId(), e.getSampleId(), e.getIteration(), e.getPayload());
      case RESULT -> rules.result(e.getSampleId());
      case SEARCH_ENDED -> rules.ended(e.getSearchId());
      default -> throw new IllegalStateException("unknown dispatch event " + e.getKind());
    }
    afterEvent(rules, team);
    store.put(e.getTeam(), team);
  }

  /**
   * Publishes the rules' decisions to the team's topics, noting whether there were any: given only
   * a pool share, the rules change a team's state by releasing samples and in no other way.
   */
  private final class Forward implements Dispatcher.Decisions {
    private final TeamDispatch team;
    private final long timestamp;
    private boolean decided;

    boolean decided() {
      return decided;
    }

    Forward(TeamDispatch team, long timestamp) {
      this.team = team;
      this.timestamp = timestamp;
    }

    @Override
    public void publish(HeldSample sample) {
      decided = true;
      String topic = Topics.forTeam(team.getTeam()).samples();
      // Stamped with the time it is published, not the time it was drawn: the sample's time in
      // flight (publish to result) can then be read off the topics.
      context.forward(
          new Record<>(
              sample.getSampleId(),
              new Outgoing(topic, bytes(sample.getPayload())),
              context.currentSystemTimeMs()));
    }

    @Override
    public void admission(String searchId, AdmissionState state, int position) {
      decided = true;
      String topic = Topics.forTeam(team.getTeam()).admissions();
      String reason =
          state == AdmissionState.RUNNING
              ? null
              : "team "
                  + team.getTeam()
                  + " runs "
                  + team.getRunning().size()
                  + " of at most "
                  + team.getMaxSearches()
                  + " searches; "
                  + ordinal(position)
                  + " to start";
      SearchAdmission a =
          SearchAdmission.newBuilder()
              .setSearchId(searchId)
              .setTeam(team.getTeam())
              .setState(state)
              .setReason(reason)
              .setPosition(position)
              .setRunningSearches(team.getRunning().size())
              .setMaxSearches(team.getMaxSearches())
              .setAtMs(context.currentSystemTimeMs())
              .build();
      LOG.info(
          "search {} of team {}: {}",
          searchId,
          team.getTeam(),
          reason == null ? "runs" : "waits: " + reason);
      context.forward(
          new Record<>(
              searchId, new Outgoing(topic, codecs.admissions().serialize(topic, a)), timestamp));
    }
  }

  private static String ordinal(int n) {
    return n == 1 ? "next" : "number " + n;
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer b = buffer.duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }
}
