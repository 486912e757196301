package org.fpnas.controller.internals;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * Splits the evaluator pool's window (the samples it can hold at once) between teams by weighted
 * max-min fairness: a team that wants less than its weighted share gets what it wants, and what it
 * leaves goes to the others in proportion to their weights. Pure and deterministic (ties by team
 * name), so every dispatcher task that sees the same demands computes the same shares.
 */
public final class PoolShares {
  private PoolShares() {}

  /**
   * The most samples {@code team} may have in flight: its share of {@code window} when it wants as
   * many as it can get and the other teams want what {@code demand} says.
   *
   * @param window samples the pool can hold at once; positive
   * @param team the team asking
   * @param demand samples every other team has in flight or waiting (the asking team's entry, if
   *     any, is ignored); teams with 0 take no share
   * @param weight each team's weight, positive
   * @return at least 1, so that no team with demand is starved by a pool smaller than the number of
   *     teams
   */
  public static int shareOf(
      int window, String team, Map<String, Integer> demand, ToDoubleFunction<String> weight) {
    if (window < 1) {
      throw new IllegalArgumentException("pool window must be positive, got " + window);
    }
    // The asking team wants without bound; water-fill the others around it.
    Map<String, Double> wants = new TreeMap<>();
    demand.forEach(
        (t, d) -> {
          if (!t.equals(team) && d != null && d > 0) {
            wants.put(t, (double) d);
          }
        });
    wants.put(team, Double.POSITIVE_INFINITY);
    double remaining = window;
    while (true) {
      double totalWeight = 0;
      for (String t : wants.keySet()) {
        totalWeight += positive(weight.applyAsDouble(t), t);
      }
      boolean anySatisfied = false;
      for (var it = wants.entrySet().iterator(); it.hasNext(); ) {
        var e = it.next();
        double fair = remaining * weight.applyAsDouble(e.getKey()) / totalWeight;
        if (e.getValue() <= fair) {
          remaining -= e.getValue();
          it.remove();
          anySatisfied = true;
        }
      }
      if (!anySatisfied) {
        // The asking team's demand is unbounded, so it is always among those left.
        return Math.max(1, (int) Math.floor(remaining * weight.applyAsDouble(team) / totalWeight));
      }
    }
  }

  private static double positive(double w, String team) {
    if (!(w > 0) || Double.isInfinite(w)) {
      throw new IllegalArgumentException("weight of team " + team + " must be positive, got " + w);
    }
    return w;
  }
}
