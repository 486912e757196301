package org.fpnas.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.function.DoublePredicate;
import org.fpnas.core.settings.Decimal;

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
 *   <tr><td>beta</td><td>0.0</td><td>cost coefficient; 0 ignores cost (at least 0)</td></tr>
 *   <tr><td>costTarget</td><td>unset</td><td>cost budget C_target; unset ignores cost (&gt; 0)</td></tr>
 *   <tr><td>learningRate</td><td>0.2</td><td>Adam step size on the logits (&gt; 0)</td></tr>
 *   <tr><td>temperature</td><td>1.0</td><td>softmax weighting: weights use l / temperature (&gt; 0)</td></tr>
 *   <tr><td>factorizedIterations</td><td>50</td><td>FD for this many iterations, then JD;
 *       0 = JD from the start, more than maxIterations = FD only</td></tr>
 *   <tr><td>entropyStop</td><td>0.0</td><td>stop once H falls below this; 0 = off</td></tr>
 *   <tr><td>stableIterations</td><td>0</td><td>stop once the mode held for this many
 *       updates; 0 = off</td></tr>
 *   <tr><td>adamBeta1</td><td>0.0</td><td>Adam first-moment decay, in [0, 1); 0 (no momentum)
 *       lets the distribution turn as fast as the evidence does</td></tr>
 *   <tr><td>adamBeta2</td><td>0.999</td><td>Adam second-moment decay, in [0, 1)</td></tr>
 *   <tr><td>adamEpsilon</td><td>1.0E-8</td><td>Adam epsilon (&gt; 0)</td></tr>
 *   <tr><td>weightDecay</td><td>0.0</td><td>L2 pull of the logits towards 0 (at least 0)</td></tr>
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
  private static final List<Setting> SETTINGS =
      List.of(
          Setting.whole("seed", "0", false, Long.MIN_VALUE, Long.MAX_VALUE, "any whole number"),
          Setting.whole("maxIterations", "100", false, 1, Integer.MAX_VALUE, "a whole number >= 1"),
          Setting.real("lambda", "0.25", false, v -> v > 0, "a number > 0"),
          Setting.whole("k0", "", true, 1, Integer.MAX_VALUE, "a whole number >= 1, or empty"),
          Setting.whole("kMin", "24", false, 1, Integer.MAX_VALUE, "a whole number >= 1"),
          Setting.whole("kMax", "64", false, 1, Integer.MAX_VALUE, "a whole number >= kMin"),
          Setting.whole("fixedK", "", true, 1, Integer.MAX_VALUE, "a whole number >= 1, or empty"),
          Setting.real("beta", "0.0", false, v -> v >= 0, "a number >= 0"),
          Setting.real("costTarget", "", true, v -> v > 0, "a number > 0, or empty"),
          Setting.real("learningRate", "0.2", false, v -> v > 0, "a number > 0"),
          Setting.real("temperature", "1.0", false, v -> v > 0, "a number > 0"),
          Setting.whole(
              "factorizedIterations", "50", false, 0, Integer.MAX_VALUE, "a whole number >= 0"),
          Setting.real("entropyStop", "0.0", false, v -> v >= 0, "a number >= 0 (0 = off)"),
          Setting.whole(
              "stableIterations",
              "0",
              false,
              0,
              Integer.MAX_VALUE,
              "a whole number >= 0 (0 = off)"),
          Setting.real("adamBeta1", "0.0", false, v -> v >= 0 && v < 1, "a number in [0, 1)"),
          Setting.real("adamBeta2", "0.999", false, v -> v >= 0 && v < 1, "a number in [0, 1)"),
          Setting.real("adamEpsilon", "1.0E-8", false, v -> v > 0, "a number > 0"),
          Setting.real("weightDecay", "0.0", false, v -> v >= 0, "a number >= 0"),
          Setting.choice("weighting", "rank", List.of("softmax", "rank")),
          Setting.real("targetEss", "", true, v -> v > 0 && v <= 1, "a number in (0, 1], or empty"),
          Setting.choice("costWeights", "normalised", List.of("normalised", "linear")),
          Setting.real(
              "switchEntropyFraction",
              "",
              true,
              v -> v > 0 && v < 1,
              "a number in (0, 1), or empty (off)"),
          Setting.choice("adamAtSwitch", "restart", List.of("restart", "carry")));

  private static final List<String> NAMES;

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
          "restart");

  static {
    List<String> names = new ArrayList<>();
    for (Setting s : SETTINGS) {
      names.add(s.name);
    }
    NAMES = Collections.unmodifiableList(names);
  }

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

  private Hyperparameters(Map<String, String> canonical) {
    this.values = Collections.unmodifiableMap(canonical);
    seed = Long.parseLong(canonical.get("seed"));
    maxIterations = intOf("maxIterations");
    lambda = doubleOf("lambda");
    k0 = optionalInt("k0");
    kMin = intOf("kMin");
    kMax = intOf("kMax");
    fixedK = optionalInt("fixedK");
    beta = doubleOf("beta");
    String target = canonical.get("costTarget");
    costTarget = target.isEmpty() ? null : Double.valueOf(target);
    learningRate = doubleOf("learningRate");
    temperature = doubleOf("temperature");
    factorizedIterations = intOf("factorizedIterations");
    entropyStop = doubleOf("entropyStop");
    stableIterations = intOf("stableIterations");
    adamBeta1 = doubleOf("adamBeta1");
    adamBeta2 = doubleOf("adamBeta2");
    adamEpsilon = doubleOf("adamEpsilon");
    weightDecay = doubleOf("weightDecay");
    weighting = canonical.get("weighting");
    String ess = canonical.get("targetEss");
    targetEss = ess.isEmpty() ? null : Double.valueOf(ess);
    costWeights = canonical.get("costWeights");
    String fraction = canonical.get("switchEntropyFraction");
    switchEntropyFraction = fraction.isEmpty() ? null : Double.valueOf(fraction);
    adamAtSwitch = canonical.get("adamAtSwitch");
    if (kMax < kMin) {
      throw new IllegalArgumentException(
          "hyperparameter 'kMax' must be >= kMin (" + kMin + "), got '" + kMax + "'");
    }
  }

  private int intOf(String name) {
    return Integer.parseInt(values.get(name));
  }

  private double doubleOf(String name) {
    return Double.parseDouble(values.get(name));
  }

  private Integer optionalInt(String name) {
    String text = values.get(name);
    return text.isEmpty() ? null : Integer.valueOf(text);
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
    Objects.requireNonNull(settings, "settings");
    // Sorted, so that the error names the same setting whatever the map's iteration order.
    for (String name : new java.util.TreeSet<>(settings.keySet())) {
      if (!NAMES.contains(name)) {
        throw new IllegalArgumentException(
            "unknown hyperparameter '" + name + "' (known: " + String.join(", ", NAMES) + ")");
      }
    }
    Map<String, String> canonical = new LinkedHashMap<>();
    for (Setting setting : SETTINGS) {
      String given =
          settings.containsKey(setting.name) ? settings.get(setting.name) : setting.defaultValue;
      canonical.put(setting.name, setting.canonical(given));
    }
    return new Hyperparameters(canonical);
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
    Map<String, String> changed = new LinkedHashMap<>(values);
    if (!NAMES.contains(name)) {
      throw new IllegalArgumentException(
          "unknown hyperparameter '" + name + "' (known: " + String.join(", ", NAMES) + ")");
    }
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

  /** K_0, when given instead of lambda. */
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

  /** One setting: its name, default, and how to read and check a value. */
  private static final class Setting {
    final String name;
    final String defaultValue;
    final boolean optional;
    final boolean whole;
    final long min;
    final long max;
    final DoublePredicate check;
    final String allowed;
    final List<String> choices;

    private Setting(
        String name,
        String defaultValue,
        boolean optional,
        boolean whole,
        long min,
        long max,
        DoublePredicate check,
        String allowed,
        List<String> choices) {
      this.name = name;
      this.defaultValue = defaultValue;
      this.optional = optional;
      this.whole = whole;
      this.min = min;
      this.max = max;
      this.check = check;
      this.allowed = allowed;
      this.choices = choices;
    }

    static Setting whole(
        String name, String defaultValue, boolean optional, long min, long max, String allowed) {
      return new Setting(name, defaultValue, optional, true, min, max, null, allowed, null);
    }

    static Setting real(
        String name, String defaultValue, boolean optional, DoublePredicate check, String allowed) {
      return new Setting(name, defaultValue, optional, false, 0, 0, check, allowed, null);
    }

    static Setting choice(String name, String defaultValue, List<String> choices) {
      return new Setting(
          name,
          defaultValue,
          false,
          false,
          0,
          0,
          null,
          "one of " + String.join(", ", choices),
          choices);
    }

    /** The canonical text of a given value, or an error naming the setting and the value. */
    String canonical(String given) {
      if (given == null) {
        throw bad("null");
      }
      if (given.isBlank()) {
        if (optional) {
          return "";
        }
        throw bad(given);
      }
      if (choices != null) {
        if (!choices.contains(given.strip())) {
          throw bad(given);
        }
        return given.strip();
      }
      if (whole) {
        Long value = Decimal.parseLong(given);
        if (value == null || value < min || value > max) {
          throw bad(given);
        }
        return Long.toString(value);
      }
      Double value = Decimal.parseFinite(given);
      if (value == null || !check.test(value)) {
        throw bad(given);
      }
      return Double.toString(value);
    }

    private IllegalArgumentException bad(String given) {
      return new IllegalArgumentException(
          "hyperparameter '" + name + "' must be " + allowed + ", got '" + given + "'");
    }
  }
}
