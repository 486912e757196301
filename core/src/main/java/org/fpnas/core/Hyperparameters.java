package org.fpnas.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.fpnas.core.settings.Range;
import org.fpnas.core.settings.Setting;
import org.fpnas.core.settings.SettingValues;
import org.fpnas.core.settings.SettingsParser;

/**
 * Every setting of the FP-NAS search (docs/algorithm.md §9), by name, validated. Immutable.
 *
 * <p>As a map ({@link #toMap()}, {@link #fromMap}) every value is a string: whole numbers in
 * decimal, doubles as {@link Double#toString(double)} writes them (so {@code fromMap(toMap())} is
 * exact), and an unset optional setting ({@code k0}, {@code fixedK}, {@code costTarget}) as the
 * empty string. {@code toMap()} always lists every name, in {@link #names()} order.
 *
 * <table>
 *   <caption>Settings and defaults</caption>
 *   <tr><th>name</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>seed</td><td>0</td><td>seed of the sampling streams</td></tr>
 *   <tr><td>maxIterations</td><td>100</td><td>stop after this many updates (at least 1)</td></tr>
 *   <tr><td>lambda</td><td>0.25</td><td>K = ceil(lambda · H), clamped; &gt; 0</td></tr>
 *   <tr><td>k0</td><td>unset</td><td>if set, lambda = k0 / H(uniform): K_0 = k0</td></tr>
 *   <tr><td>kMin</td><td>24</td><td>smallest adaptive K (at least 1); chosen on NAS-Bench-201
 *       and NAS-Bench-Macro with the other search defaults (see the module README)</td></tr>
 *   <tr><td>kMax</td><td>64</td><td>largest adaptive K (at least kMin)</td></tr>
 *   <tr><td>fixedK</td><td>unset</td><td>if set, K is always this (PARSEC); overrides the rest</td></tr>
 *   <tr><td>beta</td><td>0.0</td><td>cost coefficient; 0 ignores cost (0 to 1e100)</td></tr>
 *   <tr><td>costTarget</td><td>unset</td><td>cost budget C_target; unset ignores cost (at least 1e-100)</td></tr>
 *   <tr><td>learningRate</td><td>0.2</td><td>Adam step size on the logits (&gt; 0, at most 1e100)</td></tr>
 *   <tr><td>temperature</td><td>1.0</td><td>softmax weighting: weights use l / temperature (at least 1e-100)</td></tr>
 *   <tr><td>factorizedIterations</td><td>50</td><td>FD for this many iterations, then JD;
 *       0 = JD from the start, more than maxIterations = FD only</td></tr>
 *   <tr><td>entropyStop</td><td>0.0</td><td>stop once H falls below this; 0 = off</td></tr>
 *   <tr><td>stableIterations</td><td>0</td><td>stop once the mode held for this many
 *       updates; 0 = off</td></tr>
 *   <tr><td>adamBeta1</td><td>0.0</td><td>Adam first-moment decay, in [0, 1); 0 (no momentum)
 *       lets the distribution turn as fast as the evidence does</td></tr>
 *   <tr><td>adamBeta2</td><td>0.999</td><td>Adam second-moment decay, in [0, 1)</td></tr>
 *   <tr><td>adamEpsilon</td><td>1.0E-8</td><td>Adam epsilon (&gt; 0)</td></tr>
 *   <tr><td>weightDecay</td><td>0.0</td><td>L2 pull of the logits towards 0 (0 to 1e100)</td></tr>
 *   <tr><td>weighting</td><td>rank</td><td>importance weights: rank (fitness shaping, free of
 *       the log-likelihood's scale) or softmax(l / temperature) (PARSEC)</td></tr>
 *   <tr><td>targetEss</td><td>unset</td><td>if set, the temperature of each update gives the
 *       weights this effective sample size, as a fraction of the results</td></tr>
 *   <tr><td>costWeights</td><td>normalised</td><td>v = h / sum(h), or linear: v = h / n</td></tr>
 *   <tr><td>switchEntropyFraction</td><td>unset</td><td>if set, FD switches to JD once H falls
 *       below this fraction of H(uniform), or at factorizedIterations if that comes first</td></tr>
 *   <tr><td>adamAtSwitch</td><td>restart</td><td>Adam at the FD→JD switch: restart from zero, or
 *       carry the moments (summed into the joint layout) and the step</td></tr>
 * </table>
 */
public final class Hyperparameters {
  /**
   * Where a real-valued setting's arithmetic overflows: l / temperature and c / costTarget stay
   * finite for any log-likelihood or cost below 1e208 in size when the divisor is at least this,
   * and learningRate, beta and weightDecay at most LARGEST keep the gradients and Adam steps far
   * from overflow (docs/decisions/hyperparameter-bounds.md).
   */
  private static final double SMALLEST_DIVISOR = 1e-100;

  private static final double LARGEST = 1e100;

  /**
   * The most samples one iteration may draw: the aggregator draws an iteration's samples in one
   * step that every team's searches wait behind, and an update names the samples it used. 4,096 is
   * far above any K the entropy rule asks for (kMax 64 by default).
   */
  public static final int MAX_SAMPLE_COUNT = 4096;

  private static final Setting<Long> SEED =
      Setting.whole("seed", 0, Long.MIN_VALUE, Long.MAX_VALUE);
  private static final Setting<Integer> MAX_ITERATIONS =
      Setting.integer("maxIterations", 100, 1, Integer.MAX_VALUE);
  private static final Setting<Double> LAMBDA = Setting.number("lambda", 1.25, Range.above(0));
  private static final Setting<Integer> K0 =
      Setting.integer("k0", "", 1, MAX_SAMPLE_COUNT).optional();
  private static final Setting<Integer> K_MIN = Setting.integer("kMin", 4, 1, MAX_SAMPLE_COUNT);
  private static final Setting<Integer> K_MAX =
      Setting.integer("kMax", 64, 1, MAX_SAMPLE_COUNT)
          .allowed("a whole number >= kMin and <= " + MAX_SAMPLE_COUNT);
  private static final Setting<Integer> FIXED_K =
      Setting.integer("fixedK", "", 1, MAX_SAMPLE_COUNT).optional();
  private static final Setting<Double> BETA =
      Setting.number("beta", 0.0, Range.atLeast(0).atMost(LARGEST));
  private static final Setting<Double> COST_TARGET =
      Setting.number("costTarget", "", Range.atLeast(SMALLEST_DIVISOR)).optional();
  private static final Setting<Double> LEARNING_RATE =
      Setting.number("learningRate", 1.0, Range.above(0).atMost(LARGEST));
  private static final Setting<Double> TEMPERATURE =
      Setting.number("temperature", 1.0, Range.atLeast(SMALLEST_DIVISOR));
  private static final Setting<Integer> FACTORIZED_ITERATIONS =
      Setting.integer("factorizedIterations", 50, 0, Integer.MAX_VALUE);
  private static final Setting<Double> ENTROPY_STOP =
      Setting.number("entropyStop", 0.0, Range.atLeast(0)).allowed("a number >= 0 (0 = off)");
  private static final Setting<Integer> STABLE_ITERATIONS =
      Setting.integer("stableIterations", 0, 0, Integer.MAX_VALUE)
          .allowed("a whole number >= 0 (0 = off)");
  private static final Setting<Double> ADAM_BETA1 =
      Setting.number("adamBeta1", 0.0, Range.from(0, 1));
  private static final Setting<Double> ADAM_BETA2 =
      Setting.number("adamBeta2", 0.999, Range.from(0, 1));
  private static final Setting<Double> ADAM_EPSILON =
      Setting.number("adamEpsilon", 1.0E-8, Range.above(0));
  private static final Setting<Double> WEIGHT_DECAY =
      Setting.number("weightDecay", 0.0, Range.atLeast(0).atMost(LARGEST));
  private static final Setting<String> WEIGHTING =
      Setting.choice("weighting", "rank", List.of("softmax", "rank"));
  private static final Setting<Double> TARGET_ESS =
      Setting.number("targetEss", "", new Range(0, false, 1, true)).optional();
  private static final Setting<String> COST_WEIGHTS =
      Setting.choice("costWeights", "normalised", List.of("normalised", "linear"));
  private static final Setting<Double> SWITCH_ENTROPY_FRACTION =
      Setting.number("switchEntropyFraction", "", new Range(0, false, 1, false))
          .optional()
          .allowed("a number in (0, 1) (empty: off)");
  private static final Setting<String> ADAM_AT_SWITCH =
      Setting.choice("adamAtSwitch", "restart", List.of("restart", "carry"));

  private static final Setting<String> OPTIMIZER =
      Setting.choice("optimizer", "sgd", List.of("sgd", "adam"));
  private static final Setting<String> BASELINE =
      Setting.choice("baseline", "batch-mean", List.of("batch-mean", "none"));

  private static final Setting<String> COST_MODEL =
      Setting.choice("costModel", "measured", List.of("measured", "flops", "params"));

  private static final Setting<String> COST_PENALTY =
      Setting.choice("costPenalty", "rank", List.of("rank", "hinge"));

  private static final Setting<String> SCHEDULE =
      Setting.choice("schedule", "synchronous", List.of("synchronous", "asynchronous"));

  private static final SettingsParser PARSER =
      SettingsParser.of(
          "hyperparameter",
          SEED,
          MAX_ITERATIONS,
          LAMBDA,
          K0,
          K_MIN,
          K_MAX,
          FIXED_K,
          BETA,
          COST_TARGET,
          LEARNING_RATE,
          TEMPERATURE,
          FACTORIZED_ITERATIONS,
          ENTROPY_STOP,
          STABLE_ITERATIONS,
          ADAM_BETA1,
          ADAM_BETA2,
          ADAM_EPSILON,
          WEIGHT_DECAY,
          WEIGHTING,
          TARGET_ESS,
          COST_WEIGHTS,
          SWITCH_ENTROPY_FRACTION,
          ADAM_AT_SWITCH,
          OPTIMIZER,
          BASELINE,
          COST_MODEL,
          COST_PENALTY,
          SCHEDULE);

  private static final List<String> NAMES = PARSER.names();

  /**
   * The value of each setting added after searches were first recorded that reproduces the update
   * from before it existed: a recorded spec lists every setting of its day, so {@link
   * #fromRecorded} fills only these, and an old search replays bit for bit whatever the new
   * defaults are.
   */
  private static final Map<String, String> BEFORE_IT_EXISTED =
      Map.of(
          "weighting",
          "softmax",
          "targetEss",
          "",
          "costWeights",
          "normalised",
          "switchEntropyFraction",
          "",
          "adamAtSwitch",
          "restart",
          "optimizer",
          "adam",
          "baseline",
          "none",
          "costModel",
          "measured",
          "costPenalty",
          "hinge",
          "schedule",
          "synchronous");

  private static final Hyperparameters DEFAULTS = fromMap(Map.of());

  /** Canonical text of every setting, in {@link #names()} order. */
  private final Map<String, String> values;

  private final long seed;
  private final int maxIterations;
  private final double lambda;
  private final Integer k0;
  private final int kMin;
  private final int kMax;
  private final Integer fixedK;
  private final double beta;
  private final Double costTarget;
  private final double learningRate;
  private final double temperature;
  private final int factorizedIterations;
  private final double entropyStop;
  private final int stableIterations;
  private final double adamBeta1;
  private final double adamBeta2;
  private final double adamEpsilon;
  private final double weightDecay;
  private final String weighting;
  private final Double targetEss;
  private final String costWeights;
  private final Double switchEntropyFraction;
  private final String adamAtSwitch;
  private final String optimizer;
  private final String baseline;
  private final String costModel;
  private final String costPenalty;
  private final boolean asynchronous;

  private Hyperparameters(SettingValues v) {
    this.values = v.asText();
    seed = v.get(SEED);
    maxIterations = v.get(MAX_ITERATIONS);
    lambda = v.get(LAMBDA);
    k0 = v.get(K0);
    kMin = v.get(K_MIN);
    kMax = v.get(K_MAX);
    fixedK = v.get(FIXED_K);
    beta = v.get(BETA);
    costTarget = v.get(COST_TARGET);
    learningRate = v.get(LEARNING_RATE);
    temperature = v.get(TEMPERATURE);
    factorizedIterations = v.get(FACTORIZED_ITERATIONS);
    entropyStop = v.get(ENTROPY_STOP);
    stableIterations = v.get(STABLE_ITERATIONS);
    adamBeta1 = v.get(ADAM_BETA1);
    adamBeta2 = v.get(ADAM_BETA2);
    adamEpsilon = v.get(ADAM_EPSILON);
    weightDecay = v.get(WEIGHT_DECAY);
    weighting = v.get(WEIGHTING);
    targetEss = v.get(TARGET_ESS);
    costWeights = v.get(COST_WEIGHTS);
    switchEntropyFraction = v.get(SWITCH_ENTROPY_FRACTION);
    adamAtSwitch = v.get(ADAM_AT_SWITCH);
    optimizer = v.get(OPTIMIZER);
    baseline = v.get(BASELINE);
    costModel = v.get(COST_MODEL);
    costPenalty = v.get(COST_PENALTY);
    asynchronous = v.get(SCHEDULE).equals("asynchronous");
    if (costTarget != null && costPenalty.equals("rank") && weighting.equals("softmax")) {
      throw PARSER.invalid(
          "costPenalty",
          "hinge when weighting is softmax and a costTarget is set (rank orders the samples by"
              + " their excess over the target, which softmax weights cannot)",
          costPenalty);
    }
    if (kMax < kMin) {
      throw PARSER.invalid("kMax", ">= kMin (" + kMin + ")", kMax);
    }
  }

  /** The defaults of every setting. */
  public static Hyperparameters defaults() {
    return DEFAULTS;
  }

  /**
   * Settings from a map of names to values; missing names take their defaults.
   *
   * @throws IllegalArgumentException naming the setting and the value, and saying what is allowed,
   *     for an unknown name or a bad value
   */
  public static Hyperparameters fromMap(Map<String, String> settings) {
    return new Hyperparameters(PARSER.parse(settings));
  }

  /**
   * The settings of a recorded search (a spec's resolved map): like {@link #fromMap}, except that a
   * setting newer than the record takes the value that reproduces the update of its day, not
   * today's default. Use it wherever a recorded search is rebuilt (aggregator, replay, fork); a
   * request's partial map goes through {@link #fromMap}.
   */
  public static Hyperparameters fromRecorded(Map<String, String> recorded) {
    Objects.requireNonNull(recorded, "recorded");
    Map<String, String> completed = new LinkedHashMap<>(recorded);
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(BEFORE_IT_EXISTED).entrySet()) {
      completed.putIfAbsent(e.getKey(), e.getValue());
    }
    return fromMap(completed);
  }

  /** The names of all settings, in a fixed order. */
  public static List<String> names() {
    return NAMES;
  }

  /** A copy with one setting changed (validated like {@link #fromMap}). */
  public Hyperparameters with(String name, String value) {
    PARSER.requireKnown(List.of(name));
    Map<String, String> changed = new LinkedHashMap<>(values);
    changed.put(name, value);
    return fromMap(changed);
  }

  /** Every setting by name, resolved, in {@link #names()} order; unset optionals are "". */
  public Map<String, String> toMap() {
    return values;
  }

  /** Seed of the search's sampling streams. */
  public long seed() {
    return seed;
  }

  /** Number of updates after which the search stops. */
  public int maxIterations() {
    return maxIterations;
  }

  /** The lambda of K = ceil(lambda · H) (ignored when k0 or fixedK is set). */
  public double lambda() {
    return lambda;
  }

  /** K_0, K of the uniform distribution, when set: then λ = k0 / H(uniform). */
  public OptionalInt k0() {
    return k0 == null ? OptionalInt.empty() : OptionalInt.of(k0);
  }

  /** Smallest adaptive K. */
  public int kMin() {
    return kMin;
  }

  /** Largest adaptive K. */
  public int kMax() {
    return kMax;
  }

  /** The fixed K (PARSEC), when set. */
  public OptionalInt fixedK() {
    return fixedK == null ? OptionalInt.empty() : OptionalInt.of(fixedK);
  }

  /** Cost coefficient beta. */
  public double beta() {
    return beta;
  }

  /** Cost target C_target, when set. */
  public OptionalDouble costTarget() {
    return costTarget == null ? OptionalDouble.empty() : OptionalDouble.of(costTarget);
  }

  /** Adam learning rate on the logits. */
  public double learningRate() {
    return learningRate;
  }

  /** Temperature of the importance weights. */
  public double temperature() {
    return temperature;
  }

  /** Iterations searched with the factorized distribution before switching to joint. */
  public int factorizedIterations() {
    return factorizedIterations;
  }

  /** Entropy below which the search stops; 0 = off. */
  public double entropyStop() {
    return entropyStop;
  }

  /** Updates the mode must stay unchanged for the search to stop; 0 = off. */
  public int stableIterations() {
    return stableIterations;
  }

  /** Adam beta1. */
  public double adamBeta1() {
    return adamBeta1;
  }

  /** Adam beta2. */
  public double adamBeta2() {
    return adamBeta2;
  }

  /** Adam epsilon. */
  public double adamEpsilon() {
    return adamEpsilon;
  }

  /** Weight decay on the logits. */
  public double weightDecay() {
    return weightDecay;
  }

  /**
   * How importance weights come from the log-likelihoods: {@code softmax} (PARSEC's {@code
   * softmax(ℓ/τ)}) or {@code rank} (fitness shaping: weights from the ranks alone).
   */
  public String weighting() {
    return weighting;
  }

  /**
   * When set, the softmax temperature of each update is chosen so that the weights' effective
   * sample size is this fraction of the results (scale-free); {@code temperature} is ignored.
   */
  public OptionalDouble targetEss() {
    return targetEss == null ? OptionalDouble.empty() : OptionalDouble.of(targetEss);
  }

  /**
   * How the hinge costs become cost weights: {@code normalised} ({@code v_k = h_k / Σ_j h_j},
   * docs/algorithm.md §4) or {@code linear} ({@code v_k = h_k / n}: a penalty proportional to how
   * far each sample is over the target).
   */
  public String costWeights() {
    return costWeights;
  }

  /**
   * When set, a factorized search switches to joint in the update that takes its entropy below this
   * fraction of the uniform distribution's, or at {@code factorizedIterations}, whichever comes
   * first: the switch then follows how far the search has concentrated, not a count of iterations
   * fixed in advance.
   */
  public OptionalDouble switchEntropyFraction() {
    return switchEntropyFraction == null
        ? OptionalDouble.empty()
        : OptionalDouble.of(switchEntropyFraction);
  }

  /**
   * Adam's state at the FD→JD switch: {@code restart} (moments and step at zero) or {@code carry}
   * (each joint logit's moments are the sums of its variables' moments, as its logit is the sum of
   * their log-probabilities, and the step count goes on).
   */
  public String adamAtSwitch() {
    return adamAtSwitch;
  }

  /**
   * The step on the logits: "sgd", plain gradient ascent ({@code α += η g}); or "adam", Adam's
   * per-logit scaled step (PARSEC's optimizer).
   */
  public String optimizer() {
    return optimizer;
  }

  /**
   * What the score-function gradient subtracts: "batch-mean", the mean of the batch's one-hot
   * choices times the weights' sum (a baseline that removes the noise of which choices happened to
   * be drawn); or "none", the probabilities times the weights' sum (the plain estimator).
   */
  public String baseline() {
    return baseline;
  }

  /**
   * Where the cost comes from: "measured", the evaluator's report ({@link #costPenalty} applies);
   * "flops" or "params", multiply-adds or parameters computed from the architecture before
   * evaluation, so that with a {@code costTarget} the search samples and answers only within it.
   */
  public String costModel() {
    return costModel;
  }

  /**
   * How samples over {@code costTarget} are penalised: "rank", ranked below every sample within the
   * target and among themselves by how far over they are (no weight to tune; needs rank weights);
   * or "hinge", FP-NAS's penalty {@code beta · v} on the weights.
   */
  public String costPenalty() {
    return costPenalty;
  }

  /**
   * Whether the pipeline runs the search in the asynchronous schedule ("schedule=asynchronous"):
   * each result frees its evaluator for a new draw from the distribution of that moment, and the
   * distribution is updated every K results; a sample is then a function of the seed, its draw
   * number and the distribution it was drawn from ({@link FpNas#drawn}). "synchronous", the
   * default, runs the paper's iterations: K samples, then the update that waits for all of them.
   */
  public boolean asynchronous() {
    return asynchronous;
  }

  /**
   * Whether the search will ever hold a joint distribution: it starts joint, or may switch before
   * it ends. At {@code factorizedIterations == maxIterations} the last update converts the final
   * distribution, so only a larger value keeps a search factorized throughout.
   */
  public boolean mayBeJoint() {
    return factorizedIterations <= maxIterations || switchEntropyFraction != null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Hyperparameters other && values.equals(other.values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return "Hyperparameters" + values;
  }
}
