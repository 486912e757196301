package org.fpnas.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.SearchSpace;

/**
 * The whole search in one thread: sample, score, update, until done. This loop is the reference the
 * distributed pipeline must reproduce bit for bit, so it is kept trivially simple: samples are
 * {@code fpNas.samples(state.distribution(), state.iteration(), state.sampleCount())}, scored in
 * index order, and passed to {@link FpNas#update}.
 */
public final class InProcessSearch {
  private final FpNas fpNas;
  private final Hyperparameters hyperparameters;
  private final Scorer scorer;
  private Consumer<IterationOutcome> listener = outcome -> {};

  /** A search of the space with these settings, scoring samples with {@code scorer}. */
  public InProcessSearch(SearchSpace space, Hyperparameters hyperparameters, Scorer scorer) {
    this.fpNas = new FpNas(space, hyperparameters);
    this.hyperparameters = hyperparameters;
    this.scorer = Objects.requireNonNull(scorer, "scorer");
  }

  /** Calls {@code listener} after every update (e.g. to print progress). */
  public InProcessSearch listener(Consumer<IterationOutcome> listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
    return this;
  }

  /** Runs from the initial state until done. */
  public SearchResult run() {
    return runFrom(fpNas.initial());
  }

  /** Runs from a given state (e.g. a fork) until done. */
  public SearchResult runFrom(SearchState start) {
    SearchState state = Objects.requireNonNull(start, "start");
    long evaluated = 0;
    int updates = 0;
    while (!state.done()) {
      List<Architecture> samples =
          fpNas.samples(state.distribution(), state.iteration(), state.sampleCount());
      List<Evaluation> results = new ArrayList<>(samples.size());
      for (int k = 0; k < samples.size(); k++) {
        Scorer.Score score = scorer.score(state.iteration(), k, samples.get(k));
        results.add(new Evaluation(k, samples.get(k), score.logLikelihood(), score.cost()));
      }
      evaluated += samples.size();
      IterationOutcome outcome = fpNas.update(state, results);
      state = outcome.next();
      updates++;
      listener.accept(outcome);
    }
    Architecture result = fpNas.answer(state.distribution());
    return new SearchResult(
        state, result, state.distribution().probability(result), evaluated, updates);
  }

  /**
   * Every state of a search from the initial one to the final one, for callers that compare a whole
   * trajectory (tests, replay checks); memory grows with iterations × logits.
   */
  public List<SearchState> trajectory() {
    List<SearchState> states = new ArrayList<>();
    states.add(fpNas.initial());
    Consumer<IterationOutcome> previous = listener;
    listener =
        outcome -> {
          states.add(outcome.next());
          previous.accept(outcome);
        };
    try {
      runFrom(states.get(0));
    } finally {
      listener = previous;
    }
    return states;
  }
}
