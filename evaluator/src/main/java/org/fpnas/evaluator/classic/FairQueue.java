package org.fpnas.evaluator.classic;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * The samples an evaluator holds, served by weighted fair queuing: the team with the least weighted
 * service goes first (a team's weight from its settings), then, within it, the search with the
 * least service. A team that was idle rejoins slightly behind the current virtual time, by at most
 * {@value #IDLE_CREDIT} samples of its weighted service (like a waking task in Linux's CFS): a
 * search that alternates between a few samples and a wait for its next iteration then gets those
 * few samples served first instead of every other one, while a credit that does not accumulate over
 * idle periods cannot starve a busy team. A search within a team rejoins at the current virtual
 * time. With fairness off, samples are served in arrival order (the baseline).
 *
 * @param <T> what is queued (a Kafka record in the service)
 */
final class FairQueue<T> {
  /** One queued sample and who it belongs to. */
  record Entry<T>(String team, String search, T item) {}

  /** Samples a rejoining team may be served ahead of the teams that stayed busy. */
  static final double IDLE_CREDIT = 4;

  private final boolean fair;
  private final ToDoubleFunction<String> weightOfTeam;
  private final ArrayDeque<Entry<T>> arrivalOrder = new ArrayDeque<>();
  private final Map<String, Map<String, ArrayDeque<Entry<T>>>> byTeamAndSearch =
      new LinkedHashMap<>();
  private final Map<String, Double> teamTime = new HashMap<>();
  private final Map<String, Double> searchTime = new HashMap<>();
  private double systemTime;
  private int size;

  FairQueue(boolean fair, ToDoubleFunction<String> weightOfTeam) {
    this.fair = fair;
    this.weightOfTeam = weightOfTeam;
  }

  void add(String team, String search, T item) {
    Entry<T> e = new Entry<>(team, search, item);
    size++;
    if (!fair) {
      arrivalOrder.add(e);
      return;
    }
    Map<String, ArrayDeque<Entry<T>>> searches =
        byTeamAndSearch.computeIfAbsent(team, t -> new LinkedHashMap<>());
    if (searches.isEmpty()) {
      double credit = IDLE_CREDIT / Math.max(1e-9, weightOfTeam.applyAsDouble(team));
      teamTime.merge(team, systemTime - credit, Math::max);
    }
    ArrayDeque<Entry<T>> queue = searches.computeIfAbsent(search, s -> new ArrayDeque<>());
    if (queue.isEmpty()) {
      searchTime.merge(search, minSearchTime(searches), Math::max);
    }
    queue.add(e);
  }

  /** The next sample to evaluate, or null when none is queued. */
  Entry<T> next() {
    if (size == 0) {
      return null;
    }
    size--;
    if (!fair) {
      return arrivalOrder.poll();
    }
    String team = null;
    for (String t : byTeamAndSearch.keySet()) {
      if (team == null || teamTime.get(t) < teamTime.get(team)) {
        team = t;
      }
    }
    Map<String, ArrayDeque<Entry<T>>> searches = byTeamAndSearch.get(team);
    String search = null;
    for (String s : searches.keySet()) {
      if (search == null || searchTime.get(s) < searchTime.get(search)) {
        search = s;
      }
    }
    ArrayDeque<Entry<T>> queue = searches.get(search);
    Entry<T> e = queue.poll();
    systemTime = teamTime.get(team);
    teamTime.put(team, systemTime + 1.0 / Math.max(1e-9, weightOfTeam.applyAsDouble(team)));
    searchTime.put(search, searchTime.get(search) + 1.0);
    if (queue.isEmpty()) {
      searches.remove(search);
      if (searches.isEmpty()) {
        byTeamAndSearch.remove(team);
      }
    }
    return e;
  }

  /** Drops every queued sample that matches (e.g. of partitions taken away by a rebalance). */
  List<T> removeIf(Predicate<T> drop) {
    List<T> removed = new ArrayList<>();
    Predicate<Entry<T>> matches =
        e -> {
          if (drop.test(e.item())) {
            removed.add(e.item());
            return true;
          }
          return false;
        };
    arrivalOrder.removeIf(matches);
    for (Iterator<Map<String, ArrayDeque<Entry<T>>>> teams = byTeamAndSearch.values().iterator();
        teams.hasNext(); ) {
      Map<String, ArrayDeque<Entry<T>>> searches = teams.next();
      for (Iterator<ArrayDeque<Entry<T>>> queues = searches.values().iterator();
          queues.hasNext(); ) {
        ArrayDeque<Entry<T>> queue = queues.next();
        queue.removeIf(matches);
        if (queue.isEmpty()) {
          queues.remove();
        }
      }
      if (searches.isEmpty()) {
        teams.remove();
      }
    }
    size -= removed.size();
    return removed;
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  private double minSearchTime(Map<String, ArrayDeque<Entry<T>>> searches) {
    double min = Double.POSITIVE_INFINITY;
    for (String s : searches.keySet()) {
      Double t = searchTime.get(s);
      if (t != null && !searches.get(s).isEmpty()) {
        min = Math.min(min, t);
      }
    }
    return min == Double.POSITIVE_INFINITY ? 0 : min;
  }
}
