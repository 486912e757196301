package org.fpnas.controller.dispatch;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fpnas.controller.internals.DispatchEvents;
import org.fpnas.controller.internals.PoolShares;
import org.fpnas.schemas.avro.AdmissionState;
import org.fpnas.schemas.avro.HeldSample;
import org.fpnas.schemas.avro.SampleSlot;
import org.fpnas.schemas.avro.TeamDispatch;

/**
 * One team's dispatch rules, without Kafka: a search runs when the team has a free search slot
 * ({@code maxSearches}) and waits otherwise; a sample of a running search is published when the
 * team has fewer than {@code maxInflight} samples in flight and is held otherwise. A slot is freed
 * by the sample's result, by the sample's iteration closing (its search moved on: the result came,
 * or the aggregator's deadline gave up on it), or by its search ending; a sample of the
 * asynchronous schedule belongs to no iteration ({@link DispatchEvents#NO_ITERATION}), and the
 * aggregator reports one it gave up as a result. 0 means no limit. Limits only decide when a sample
 * is published, never which samples are drawn.
 */
public final class Dispatcher {

  /** What the rules decided: samples to publish and searches whose admission changed. */
  public interface Decisions {
    void publish(HeldSample sample);

    void admission(String searchId, AdmissionState state, int position);
  }

  private final TeamDispatch team;
  private final Decisions out;
  private int poolShare;

  public Dispatcher(TeamDispatch team, Decisions out) {
    this.team = team;
    this.out = out;
    // Avro's decoded arrays cannot remove through an iterator; plain collections can.
    team.setRunning(new ArrayList<>(team.getRunning()));
    team.setWaiting(new ArrayList<>(team.getWaiting()));
    team.setIterations(new java.util.HashMap<>(team.getIterations()));
    team.setInflight(new ArrayList<>(team.getInflight()));
    team.setHeld(new ArrayList<>(team.getHeld()));
  }

  /** A new state: no limits until the team's settings arrive. */
  public static TeamDispatch empty(String team) {
    return TeamDispatch.newBuilder()
        .setTeam(team)
        .setRunning(new ArrayList<>())
        .setWaiting(new ArrayList<>())
        .setIterations(new java.util.HashMap<>())
        .setInflight(new ArrayList<>())
        .setHeld(new ArrayList<>())
        .build();
  }

  /**
   * A sample the aggregator drew: held until its search runs and the team has a free in-flight
   * slot.
   */
  public void sample(String searchId, String sampleId, int iteration, ByteBuffer payload) {
    if (!known(searchId)) {
      admitOrQueue(searchId);
    }
    if (!advance(searchId, iteration)) {
      return; // of an iteration that already closed
    }
    team.getHeld().add(new HeldSample(sampleId, searchId, iteration, payload));
    release();
  }

  /**
   * A sample the aggregator dispatched again after its deadline. One in flight keeps its slot and
   * is published again at once (the new attempt replaces a lost one, it does not add one); one
   * still held takes the new attempt's payload and keeps its place; one of a known search that the
   * dispatcher no longer tracks (its result may be on its way) is held like a new sample, so it
   * never bypasses the limit.
   */
  public void redispatch(String searchId, String sampleId, int iteration, ByteBuffer payload) {
    Integer current = iterations().get(searchId);
    if (current == null) {
      // A search the dispatcher never saw: its samples went straight out (its team had no limits
      // then). The new attempt replaces one already in flight, so it goes straight out too.
      out.publish(new HeldSample(sampleId, searchId, iteration, payload));
      return;
    }
    if (iteration < current) {
      return; // its iteration closed
    }
    advance(searchId, iteration);
    for (SampleSlot slot : team.getInflight()) {
      if (slot.getSampleId().equals(sampleId)) {
        out.publish(new HeldSample(sampleId, searchId, iteration, payload));
        return;
      }
    }
    for (HeldSample held : team.getHeld()) {
      if (held.getSampleId().equals(sampleId)) {
        held.setPayload(payload);
        return;
      }
    }
    team.getHeld().add(new HeldSample(sampleId, searchId, iteration, payload));
    release();
  }

  /**
   * A result: its sample leaves flight (and the hold, if a copy was dispatched again meanwhile).
   */
  public void result(String sampleId) {
    boolean freed = team.getInflight().removeIf(s -> s.getSampleId().equals(sampleId));
    freed |= team.getHeld().removeIf(s -> s.getSampleId().equals(sampleId));
    if (freed) {
      release();
    }
  }

  /**
   * A search finished or was cancelled: its slots go to the others, and the next waiting search
   * starts.
   */
  public void ended(String searchId) {
    if (!known(searchId)) {
      return;
    }
    team.getRunning().remove(searchId);
    boolean wasWaiting = team.getWaiting().remove(searchId);
    iterations().remove(searchId);
    team.getInflight().removeIf(s -> s.getSearchId().equals(searchId));
    team.getHeld().removeIf(s -> s.getSearchId().equals(searchId));
    admitWaiting(wasWaiting);
    release();
  }

  /**
   * The team's limits, at start or changed while running: a raised limit releases at once, a
   * lowered one preempts nothing.
   */
  public void settings(int maxInflight, int maxSearches) {
    team.setMaxInflight(maxInflight);
    team.setMaxSearches(maxSearches);
    admitWaiting(false);
    release();
  }

  /**
   * The team's share of the evaluator pool now ({@link PoolShares}): at most this many samples in
   * flight, on top of {@code maxInflight}; 0 for no share limit. Not part of the team's state: the
   * pool and the other teams change it, so it is given again with every event.
   */
  public void poolShare(int share) {
    if (share < 0) {
      throw new IllegalArgumentException("pool share must be 0 or more, got " + share);
    }
    this.poolShare = share;
    release();
  }

  /** Samples of running searches the team has in flight or held: what it wants of the pool. */
  public int demand() {
    int held = 0;
    for (HeldSample h : team.getHeld()) {
      if (team.getRunning().contains(h.getSearchId())) {
        held++;
      }
    }
    return team.getInflight().size() + held;
  }

  /** Whether a sample of a running search is held for want of a slot. */
  public boolean holdsRunnable() {
    for (HeldSample h : team.getHeld()) {
      if (team.getRunning().contains(h.getSearchId())) {
        return true;
      }
    }
    return false;
  }

  private boolean known(String searchId) {
    return iterations().containsKey(searchId);
  }

  private void admitOrQueue(String searchId) {
    // Below every iteration; samples of the asynchronous schedule stay at it.
    iterations().put(searchId, DispatchEvents.NO_ITERATION);
    if (team.getWaiting().isEmpty() && hasRoom(team.getRunning().size(), team.getMaxSearches())) {
      team.getRunning().add(searchId);
    } else {
      team.getWaiting().add(searchId);
      out.admission(searchId, AdmissionState.WAITING, team.getWaiting().size());
    }
  }

  /**
   * Moves the search to the sample's iteration, dropping what is left of older ones; false for a
   * stale sample.
   */
  private boolean advance(String searchId, int iteration) {
    int current = iterations().get(searchId);
    if (iteration < current) {
      return false;
    }
    if (iteration > current) {
      iterations().put(searchId, iteration);
      // The aggregator closed the older iteration: every result it waited for came, or it gave up
      // on
      // the rest (deadline, dead-lettered sample). Either way those slots must not stay taken.
      team.getInflight()
          .removeIf(s -> s.getSearchId().equals(searchId) && s.getIteration() < iteration);
      team.getHeld()
          .removeIf(s -> s.getSearchId().equals(searchId) && s.getIteration() < iteration);
    }
    return true;
  }

  private void admitWaiting(boolean positionsChanged) {
    boolean admitted = false;
    while (!team.getWaiting().isEmpty()
        && hasRoom(team.getRunning().size(), team.getMaxSearches())) {
      String next = team.getWaiting().remove(0);
      team.getRunning().add(next);
      out.admission(next, AdmissionState.RUNNING, 0);
      admitted = true;
    }
    if (admitted || positionsChanged) {
      // Those still waiting moved up the queue; their recorded positions say so.
      for (int i = 0; i < team.getWaiting().size(); i++) {
        out.admission(team.getWaiting().get(i), AdmissionState.WAITING, i + 1);
      }
    }
  }

  /**
   * Publishes held samples of running searches while the team has in-flight slots (its own limit
   * and its pool share), taking the searches in turn: a team's searches share its slots equally.
   */
  private void release() {
    Map<String, Integer> inflightBySearch = new java.util.HashMap<>();
    for (SampleSlot slot : team.getInflight()) {
      inflightBySearch.merge(slot.getSearchId(), 1, Integer::sum);
    }
    while (hasRoom(team.getInflight().size(), team.getMaxInflight())
        && hasRoom(team.getInflight().size(), poolShare)) {
      // The oldest held sample of the running search with the fewest samples in flight.
      int best = -1;
      int bestInflight = Integer.MAX_VALUE;
      List<HeldSample> held = team.getHeld();
      for (int i = 0; i < held.size(); i++) {
        HeldSample h = held.get(i);
        if (team.getRunning().contains(h.getSearchId())) {
          int n = inflightBySearch.getOrDefault(h.getSearchId(), 0);
          if (n < bestInflight) {
            best = i;
            bestInflight = n;
          }
        }
      }
      if (best < 0) {
        return;
      }
      HeldSample next = held.remove(best);
      inflightBySearch.merge(next.getSearchId(), 1, Integer::sum);
      team.getInflight()
          .add(new SampleSlot(next.getSampleId(), next.getSearchId(), next.getIteration()));
      out.publish(next);
    }
  }

  private Map<String, Integer> iterations() {
    return team.getIterations();
  }

  private static boolean hasRoom(int used, int limit) {
    return limit == 0 || used < limit;
  }
}
