package org.fpnas.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;
import org.fpnas.core.space.Architecture;

/**
 * The asynchronous schedule in one thread, with simulated evaluators (docs/algorithm.md §4,
 * "Asynchronous schedule"): {@code workers} evaluators are never idle; each result frees its
 * evaluator, which takes a new draw from the distribution of that moment; the distribution is
 * updated every B results, B the sample count K of the current entropy, with the B results that
 * finished first, taken in draw order. Evaluation times come from a function of the architecture (a
 * table's training time, a cost model), so the run is a pure function of the search's settings, the
 * scorer, the times and the number of workers. Draw n is {@link FpNas#drawn}{@code (distribution,
 * n)}.
 */
public final class AsyncSearch {
  private final FpNas fpNas;
  private final Scorer scorer;
  private final ToDoubleFunction<Architecture> seconds;
  private final int workers;
  private int maxStaleness = Integer.MAX_VALUE;
  private Consumer<Update> listener = update -> {};

  /**
   * @param seconds the evaluation time of an architecture (finite, not negative)
   * @param workers the number of simulated evaluators, at least 1
   */
  public AsyncSearch(
      FpNas fpNas, Scorer scorer, ToDoubleFunction<Architecture> seconds, int workers) {
    this.fpNas = Objects.requireNonNull(fpNas, "fpNas");
    this.scorer = Objects.requireNonNull(scorer, "scorer");
    this.seconds = Objects.requireNonNull(seconds, "seconds");
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be at least 1, got " + workers);
    }
    this.workers = workers;
  }

  /**
   * Results drawn from a distribution more than this many updates older than the current one are
   * dropped (counted, not used); unbounded by default.
   */
  public AsyncSearch maxStaleness(int updates) {
    if (updates < 0) {
      throw new IllegalArgumentException("maxStaleness must not be negative, got " + updates);
    }
    this.maxStaleness = updates;
    return this;
  }

  /** Told of every update, in order. */
  public AsyncSearch listener(Consumer<Update> listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
    return this;
  }

  /**
   * One update of the asynchronous schedule.
   *
   * @param time the simulated time of the result that completed the batch
   * @param results results taken so far (used and dropped)
   * @param outcome the update
   * @param staleness of each used result, how many updates older its distribution was
   */
  public record Update(double time, long results, IterationOutcome outcome, int[] staleness) {}

  /**
   * The end of a run.
   *
   * @param state the last state
   * @param time the simulated time of the last result taken
   * @param results results taken
   * @param dropped results dropped as too stale
   * @param busy the evaluators' busy time up to {@code time}, summed over evaluators
   */
  public record Result(SearchState state, double time, long results, long dropped, double busy) {
    /** Busy time over the evaluators' available time. */
    public double utilisation(int workers) {
      return time > 0 ? busy / (workers * time) : 1;
    }
  }

  /** Runs until the search is done or {@code maxResults} results were taken. */
  public Result run(long maxResults) {
    SearchState state = fpNas.initial();
    PriorityQueue<InFlight> running =
        new PriorityQueue<>(
            Comparator.comparingDouble(InFlight::finishesAt).thenComparingLong(InFlight::draw));
    long draws = 0;
    for (int w = 0; w < workers; w++) {
      running.add(draw(state, draws++, 0));
    }
    List<InFlight> batch = new ArrayList<>();
    long results = 0;
    long dropped = 0;
    double now = 0;
    double busy = 0;
    while (!state.done() && results < maxResults) {
      InFlight done = running.poll();
      now = done.finishesAt;
      busy += done.finishesAt - done.startedAt;
      results++;
      if (state.iteration() - done.drawnAtUpdate > maxStaleness) {
        dropped++;
      } else {
        batch.add(done);
      }
      if (batch.size() == state.sampleCount()) {
        // In draw order, as the pipeline's aggregator takes a batch.
        batch.sort(Comparator.comparingLong(InFlight::draw));
        List<Evaluation> evaluations = new ArrayList<>(batch.size());
        int[] staleness = new int[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
          InFlight r = batch.get(i);
          Scorer.Score score = scorer.score(0, Math.toIntExact(r.draw), r.architecture);
          evaluations.add(new Evaluation(i, r.architecture, score.logLikelihood(), score.cost()));
          staleness[i] = state.iteration() - r.drawnAtUpdate;
        }
        IterationOutcome outcome = fpNas.update(state, evaluations);
        state = outcome.next();
        batch.clear();
        listener.accept(new Update(now, results, outcome, staleness));
      }
      running.add(draw(state, draws++, now));
    }
    for (InFlight r : running) {
      busy += Math.max(0, Math.min(now, r.finishesAt) - r.startedAt);
    }
    return new Result(state, now, results, dropped, busy);
  }

  private InFlight draw(SearchState state, long draw, double now) {
    Architecture a = fpNas.drawn(state.distribution(), draw);
    double t = seconds.applyAsDouble(a);
    if (!(t >= 0) || Double.isInfinite(t)) {
      throw new IllegalArgumentException("the evaluation time of " + a + " is not valid: " + t);
    }
    return new InFlight(draw, a, state.iteration(), now, now + t);
  }

  private record InFlight(
      long draw,
      Architecture architecture,
      int drawnAtUpdate,
      double startedAt,
      double finishesAt) {}
}
