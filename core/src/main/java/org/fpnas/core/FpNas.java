package org.fpnas.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleFunction;
import org.fpnas.core.mbconv.FlopsCounter;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.SearchSpace;
import org.fpnas.core.space.SpaceRules;

/**
 * The FP-NAS update rule (docs/algorithm.md §4) for one space and one set of hyperparameters: the
 * initial state, the sample count K, and the step from one iteration's results to the next state.
 * Pure and deterministic: the same state and results give bit-identical output, whatever the order
 * of the results.
 */
public final class FpNas {
  private final SearchSpace space;
  private final Hyperparameters hp;
  private final Phase initialPhase;

  /** H of the initial uniform distribution, computed exactly as a state's entropy is. */
  private final double uniformEntropy;

  /** The known-cost target the samples and the answer keep to; null when there is none. */
  private final CostConstraint constraint;

  /**
   * @throws IllegalArgumentException when the search may ever be joint (factorizedIterations below
   *     maxIterations, or a switchEntropyFraction set) on a space too large for a joint
   *     distribution, naming the largest layer and its size: refused here, at submit, not after the
   *     factorized iterations
   */
  public FpNas(SearchSpace space, Hyperparameters hyperparameters) {
    this(space, hyperparameters, knownCost(space, hyperparameters));
  }

  /**
   * A search whose cost is known before evaluation by the caller (a table's cost column): with a
   * {@code costTarget}, samples and answers keep to it, whatever {@code costModel} says.
   *
   * @param knownCost the cost of an architecture; null when the cost is only measured
   * @throws IllegalArgumentException as {@link #FpNas(SearchSpace, Hyperparameters)}, and when no
   *     architecture is found within the cost target
   */
  public FpNas(
      SearchSpace space,
      Hyperparameters hyperparameters,
      ToDoubleFunction<Architecture> knownCost) {
    this.space = Objects.requireNonNull(space, "space");
    this.hp = Objects.requireNonNull(hyperparameters, "hyperparameters");
    if (hp.mayBeJoint()) {
      String problem = SpaceRules.jointProblem(space);
      if (problem != null) {
        throw new IllegalArgumentException(
            problem
                + " (factorizedIterations is "
                + hp.factorizedIterations()
                + ", maxIterations "
                + hp.maxIterations()
                + (hp.switchEntropyFraction().isPresent()
                    ? ", switchEntropyFraction " + hp.switchEntropyFraction().getAsDouble()
                    : "")
                + ")");
      }
    }
    this.constraint =
        knownCost != null && hp.costTarget().isPresent()
            ? CostConstraint.of(space, knownCost, hp.costTarget().getAsDouble())
            : null;
    this.initialPhase = hp.factorizedIterations() == 0 ? Phase.JOINT : Phase.FACTORIZED;
    this.uniformEntropy = Distribution.uniform(space, initialPhase).entropy();
  }

  /**
   * The cost the core computes itself for {@code costModel} flops or params (the space's network
   * section, {@code FlopsCounter}); null for a measured cost.
   */
  private static ToDoubleFunction<Architecture> knownCost(SearchSpace space, Hyperparameters hp) {
    String model = Objects.requireNonNull(hp, "hyperparameters").costModel();
    if (model.equals("measured")) {
      return null;
    }
    FlopsCounter counter;
    try {
      counter = new FlopsCounter(Objects.requireNonNull(space, "space"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "costModel "
              + model
              + " computes the cost from the space's network section, and space '"
              + space.name()
              + "' cannot be costed: "
              + e.getMessage(),
          e);
    }
    return model.equals("flops")
        ? a -> counter.count(a).multiplyAdds()
        : a -> counter.count(a).parameters();
  }

  /**
   * Sample {@code index} of {@code iteration} from {@code distribution} with this search's seed:
   * {@link Sampler#sample}, or within the known-cost target when there is one.
   */
  public Architecture sample(Distribution distribution, int iteration, int index) {
    return constraint == null
        ? Sampler.sample(distribution, hp.seed(), iteration, index)
        : constraint.sample(distribution, hp.seed(), iteration, index);
  }

  /**
   * Draw number {@code draw} of the asynchronous schedule, from the distribution of the moment:
   * {@link Sampler#drawn}, or within the known-cost target when there is one.
   */
  public Architecture drawn(Distribution distribution, long draw) {
    return constraint == null
        ? Sampler.drawn(distribution, hp.seed(), draw)
        : constraint.drawn(distribution, hp.seed(), draw);
  }

  /** Samples 0 .. count-1 of {@code iteration}, as {@link #sample}. */
  public List<Architecture> samples(Distribution distribution, int iteration, int count) {
    List<Architecture> out = new ArrayList<>(count);
    for (int k = 0; k < count; k++) {
      out.add(sample(distribution, iteration, k));
    }
    return out;
  }

  /**
   * The search's answer from a distribution: its mode, or with a known-cost target the most likely
   * architecture within it.
   */
  public Architecture answer(Distribution distribution) {
    return constraint == null ? distribution.mode() : constraint.mode(distribution);
  }

  /** The space searched. */
  public SearchSpace space() {
    return space;
  }

  /** The hyperparameters. */
  public Hyperparameters hyperparameters() {
    return hp;
  }

  /**
   * The lambda in use: {@code k0 / H(uniform)} when k0 is set, else the lambda setting. When k0 is
   * set and the space has a single architecture (H(uniform) = 0), K is k0 whatever the entropy, so
   * no finite lambda describes it: NaN, never the ignored lambda setting.
   */
  public double lambda() {
    if (hp.k0().isEmpty()) {
      return hp.lambda();
    }
    return uniformEntropy > 0 ? hp.k0().getAsInt() / uniformEntropy : Double.NaN;
  }

  /** The initial state: uniform distribution (joint if factorizedIterations is 0), iteration 0. */
  public SearchState initial() {
    return startFrom(Distribution.uniform(space, initialPhase), 0);
  }

  /**
   * A state that starts from a given distribution at a given iteration (a fork), with fresh Adam
   * moments. A factorized distribution at or past {@code factorizedIterations}, or below the switch
   * entropy, is converted to joint first. At or past {@code maxIterations} the state is already
   * done.
   */
  public SearchState startFrom(Distribution distribution, int iteration) {
    Objects.requireNonNull(distribution, "distribution");
    requireSpace(distribution);
    if (iteration < 0) {
      throw new IllegalArgumentException("iteration must not be negative, got " + iteration);
    }
    Distribution d =
        switchesToJoint(distribution, iteration) ? distribution.toJoint() : distribution;
    StopReason stop = iteration >= hp.maxIterations() ? StopReason.MAX_ITERATIONS : null;
    return SearchState.wrap(
        d, SearchState.zeros(d), SearchState.zeros(d), 0, iteration, sampleCount(d), 0, stop);
  }

  /**
   * Whether a factorized distribution at this iteration is to become joint: the iteration reached
   * {@code factorizedIterations}, or its entropy fell below {@code switchEntropyFraction} times the
   * uniform distribution's.
   */
  private boolean switchesToJoint(Distribution distribution, int iteration) {
    if (distribution.phase() != Phase.FACTORIZED) {
      return false;
    }
    if (iteration >= hp.factorizedIterations()) {
      return true;
    }
    return hp.switchEntropyFraction().isPresent()
        && distribution.entropy() < hp.switchEntropyFraction().getAsDouble() * uniformEntropy;
  }

  /**
   * K for a distribution: {@code fixedK} when set, else {@code clamp(ceil(λ · H), kMin, kMax)}.
   * With k0 set, {@code λ · H} is computed as {@code k0 · (H / H(uniform))}, so the uniform
   * distribution gets exactly k0 (clamped).
   */
  public int sampleCount(Distribution distribution) {
    if (hp.fixedK().isPresent()) {
      return hp.fixedK().getAsInt();
    }
    double h = distribution.entropy();
    double raw;
    if (hp.k0().isPresent()) {
      raw = uniformEntropy > 0 ? hp.k0().getAsInt() * (h / uniformEntropy) : hp.k0().getAsInt();
    } else {
      raw = hp.lambda() * h;
    }
    double k = Math.ceil(raw);
    if (!(k >= hp.kMin())) {
      return hp.kMin();
    }
    return k >= hp.kMax() ? hp.kMax() : (int) k;
  }

  /**
   * One FP-NAS update from the results of {@code state.iteration()}.
   *
   * <p>The results are sorted by index first, so their order does not matter. Fewer results than
   * {@code state.sampleCount()} are fine (lost samples): the weights are normalised over those
   * given. Steps: importance weights ω (log space, temperature); cost weights v from the hinge over
   * the cost target; ω' = ω − β v; score-function gradient; weight decay; one Adam ascent step;
   * iteration t+1; at t+1 = factorizedIterations, or once the entropy falls below the switch
   * entropy, a factorized distribution becomes joint (exactly) and Adam restarts from zero or
   * carries its moments ({@code adamAtSwitch}); then entropy, next K, mode and the stop criteria
   * (checked in the order entropy, mode-stable, max-iterations).
   *
   * @throws IllegalStateException when the state is done
   * @throws IllegalArgumentException for no results, a repeated or out-of-range index, an
   *     architecture outside the space, a NaN or infinite log-likelihood, or a negative, NaN or
   *     infinite cost (naming the sample index); and when the {@code temperature} or {@code
   *     costTarget} is so small that {@code ℓ/τ} or {@code c/C_target} overflows (naming the
   *     setting)
   */
  public IterationOutcome update(SearchState state, List<Evaluation> results) {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(results, "results");
    if (state.done()) {
      throw new IllegalStateException(
          "the search is done (" + state.stopReason() + "); no further update");
    }
    Distribution d = state.distribution();
    requireSpace(d);
    List<Evaluation> sorted = sortedAndChecked(state, results);
    int n = sorted.size();
    Architecture[] samples = new Architecture[n];
    double[] logLikelihoods = new double[n];
    double[] costs = new double[n];
    int[] indices = new int[n];
    for (int k = 0; k < n; k++) {
      Evaluation e = sorted.get(k);
      samples[k] = e.architecture();
      logLikelihoods[k] = e.logLikelihood();
      costs[k] = e.cost();
      indices[k] = e.index();
    }

    double[] omega;
    boolean feasibleFirst = hp.costTarget().isPresent() && hp.costPenalty().equals("rank");
    if (hp.weighting().equals("rank")) {
      omega =
          feasibleFirst
              ? Weights.rank(
                  logLikelihoods, Weights.hinge(costs, hp.costTarget().getAsDouble(), indices))
              : Weights.rank(logLikelihoods);
    } else if (hp.targetEss().isPresent()) {
      omega = Weights.targetEss(logLikelihoods, hp.targetEss().getAsDouble());
    } else {
      omega = Weights.importance(logLikelihoods, hp.temperature(), indices);
    }
    boolean costAware =
        hp.costPenalty().equals("hinge") && hp.beta() > 0 && hp.costTarget().isPresent();
    double[] v =
        costAware
            ? Weights.cost(
                costs,
                hp.costTarget().getAsDouble(),
                indices,
                hp.costWeights().equals("normalised"))
            : new double[n];
    double[] omegaPrime = new double[n];
    for (int k = 0; k < n; k++) {
      omegaPrime[k] = omega[k] - hp.beta() * v[k];
    }
    double[][] gradient =
        Weights.gradient(d, samples, omegaPrime, hp.baseline().equals("batch-mean"));

    // Ascent on the logits, Adam's or plain (a fresh array set: the state stays untouched).
    boolean adam = hp.optimizer().equals("adam");
    double[][] m = state.firstMoment();
    double[][] s = state.secondMoment();
    double[][] logits = d.logits();
    int step = state.adamStep() + 1;
    double b1 = hp.adamBeta1();
    double b2 = hp.adamBeta2();
    double firstCorrection = 1.0 - StrictMath.pow(b1, step);
    double secondCorrection = 1.0 - StrictMath.pow(b2, step);
    for (int l = 0; l < logits.length; l++) {
      for (int i = 0; i < logits[l].length; i++) {
        double g = gradient[l][i] - hp.weightDecay() * logits[l][i];
        if (adam) {
          m[l][i] = b1 * m[l][i] + (1.0 - b1) * g;
          s[l][i] = b2 * s[l][i] + (1.0 - b2) * (g * g);
          double mHat = m[l][i] / firstCorrection;
          double sHat = s[l][i] / secondCorrection;
          logits[l][i] += hp.learningRate() * mHat / (StrictMath.sqrt(sHat) + hp.adamEpsilon());
        } else {
          logits[l][i] += hp.learningRate() * g;
        }
        if (!Double.isFinite(logits[l][i])) {
          throw new IllegalStateException(
              "the update made logit "
                  + i
                  + " of layer '"
                  + space.layer(l).name()
                  + "' non-finite; lower the learning rate ("
                  + hp.learningRate()
                  + ")");
        }
      }
    }
    Distribution next = Distribution.wrap(space, d.phase(), logits, d.version() + 1);
    int nextIteration = state.iteration() + 1;
    if (switchesToJoint(next, nextIteration)) {
      next = next.toJoint();
      if (hp.adamAtSwitch().equals("carry")) {
        m = Distribution.jointSums(space, m);
        s = Distribution.jointSums(space, s);
      } else {
        m = SearchState.zeros(next);
        s = SearchState.zeros(next);
        step = 0;
      }
    }

    Architecture mode = answer(next);
    int stable = mode.equals(answer(d)) ? state.modeStableIterations() + 1 : 0;
    StopReason stop = null;
    if (hp.entropyStop() > 0 && next.entropy() < hp.entropyStop()) {
      stop = StopReason.ENTROPY;
    } else if (hp.stableIterations() > 0 && stable >= hp.stableIterations()) {
      stop = StopReason.MODE_STABLE;
    } else if (nextIteration >= hp.maxIterations()) {
      stop = StopReason.MAX_ITERATIONS;
    }
    SearchState nextState =
        SearchState.wrap(next, m, s, step, nextIteration, sampleCount(next), stable, stop);

    double squares = 0;
    double costSum = 0;
    double llSum = 0;
    double llMax = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < n; k++) {
      squares += omega[k] * omega[k];
      costSum += costs[k];
      llSum += logLikelihoods[k];
      llMax = Math.max(llMax, logLikelihoods[k]);
    }
    return new IterationOutcome(
        nextState, omega, v, indices, 1.0 / squares, costSum / n, llSum / n, llMax, n, mode);
  }

  private List<Evaluation> sortedAndChecked(SearchState state, List<Evaluation> results) {
    if (results.isEmpty()) {
      throw new IllegalArgumentException(
          "an update needs at least one result, got none for " + "iteration " + state.iteration());
    }
    List<Evaluation> sorted = new ArrayList<>(results.size());
    for (Evaluation e : results) {
      sorted.add(Objects.requireNonNull(e, "result"));
    }
    sorted.sort(Comparator.comparingInt(Evaluation::index));
    for (int k = 0; k < sorted.size(); k++) {
      Evaluation e = sorted.get(k);
      if (e.index() < 0 || e.index() >= state.sampleCount()) {
        throw new IllegalArgumentException(
            "sample index "
                + e.index()
                + " is out of range: "
                + "iteration "
                + state.iteration()
                + " has "
                + state.sampleCount()
                + " samples");
      }
      if (k > 0 && sorted.get(k - 1).index() == e.index()) {
        throw new IllegalArgumentException(
            "sample index " + e.index() + " has more than one result");
      }
      if (!Double.isFinite(e.logLikelihood())) {
        throw new IllegalArgumentException(
            "sample " + e.index() + " has a non-finite log-likelihood: " + e.logLikelihood());
      }
      if (!(e.cost() >= 0) || Double.isInfinite(e.cost())) {
        throw new IllegalArgumentException(
            "sample "
                + e.index()
                + " has an invalid cost (must be finite and not negative): "
                + e.cost());
      }
      try {
        e.architecture().validate(space);
      } catch (IllegalArgumentException problem) {
        throw new IllegalArgumentException(
            "sample " + e.index() + ": " + problem.getMessage(), problem);
      }
    }
    return sorted;
  }

  private void requireSpace(Distribution distribution) {
    if (distribution.space() != space && !distribution.space().equals(space)) {
      throw new IllegalArgumentException(
          "the distribution is over space '"
              + distribution.space().name()
              + "', this search is over space '"
              + space.name()
              + "'");
    }
  }
}
