package org.fpnas.core.landscape;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.fpnas.core.Distribution;
import org.fpnas.core.Phase;
import org.fpnas.core.Scorer;
import org.fpnas.core.SplitMix64;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.SearchSpace;
import org.fpnas.core.space.SpaceFormatException;

/**
 * A synthetic scoring function over a space's architectures, for tests and benchmarks:
 *
 * <pre>
 *   meanLogLikelihood(A) = base + Σ value(choice of A) + Σ value(interaction whose two
 *                          choices A both takes)
 *   logLikelihood(A, t, k) = meanLogLikelihood(A) + sigma · N(0,1), the normal draw a pure
 *                          function of (noise seed, t, k)
 *   cost(A) = baseCost + Σ cost(choice of A)
 * </pre>
 *
 * Declared in a small YAML or JSON file that names choices as {@code layer.variable=choice} (see
 * the module README). Values are meant to read as summed validation log-likelihoods: negative, tens
 * of nats, a few nats between good and bad choices. Immutable and thread-safe.
 */
public final class Landscape {
  /** The domain key of noise streams, so they never coincide with sampling streams. */
  static final long NOISE_DOMAIN = 1;

  /** The domain key of the stream that generates random landscapes. */
  static final long RANDOM_DOMAIN = 2;

  /** The domain key of the stream that generates deceptive landscapes. */
  static final long DECEPTIVE_DOMAIN = 3;

  private final SearchSpace space;
  private final double base;
  private final double baseCost;
  private final double noiseSigma;
  private final long noiseSeed;
  private final double[][][] values;
  private final double[][][] costs;
  private final List<Interaction> interactions;
  private volatile Architecture best;

  /**
   * Two choices of different variables (of the same or different layers) that add {@code value}
   * when an architecture takes both; the first is the earlier variable.
   */
  record Interaction(
      int layer1,
      int variable1,
      int choice1,
      int layer2,
      int variable2,
      int choice2,
      double value) {
    boolean matches(Architecture a) {
      return a.choice(layer1, variable1) == choice1 && a.choice(layer2, variable2) == choice2;
    }
  }

  Landscape(
      SearchSpace space,
      double base,
      double baseCost,
      double noiseSigma,
      long noiseSeed,
      double[][][] values,
      double[][][] costs,
      List<Interaction> interactions) {
    this.space = space;
    this.base = base;
    this.baseCost = baseCost;
    this.noiseSigma = noiseSigma;
    this.noiseSeed = noiseSeed;
    this.values = values;
    this.costs = costs;
    List<Interaction> sorted = new ArrayList<>(interactions);
    sorted.sort(LandscapeFile.INTERACTION_ORDER);
    this.interactions = List.copyOf(sorted);
  }

  /**
   * Parses a landscape file (YAML or JSON) against the space it scores.
   *
   * @throws SpaceFormatException naming the source, the line and the problem
   */
  public static Landscape parse(String text, String source, SearchSpace space) {
    return LandscapeFile.parse(text, source, space);
  }

  /** Reads and parses a landscape file (UTF-8). */
  public static Landscape load(Path file, SearchSpace space) {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString(), space);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read landscape file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * A random landscape for benchmarks, a pure function of its arguments: per-choice values ~ N(0,
   * 1), costs uniform in [0, 10), base cost 100, for each pair of variables with probability {@code
   * interactionDensity} one interaction between a random choice of each with value ~ N(0, 1.5);
   * numbers rounded to 3 decimals; the base is set so that every mean log-likelihood is at most
   * -10.
   *
   * @param interactionDensity in [0, 1]
   * @param noiseSigma the noise's standard deviation, not negative
   */
  public static Landscape random(
      SearchSpace space, long seed, double interactionDensity, double noiseSigma) {
    return LandscapeFile.random(space, seed, interactionDensity, noiseSigma);
  }

  /**
   * A landscape built to need a joint distribution, a pure function of its arguments: within each
   * layer, the variables with at least three choices are paired in order, and each pair has two
   * good combinations (interactions worth {@code modeValue} and 0.85–0.95 of it; their mixtures
   * score nothing, as in XOR) and a decoy choice of each variable worth 0.36–0.44 of {@code
   * modeValue} alone. The decoys have the better marginals, so a factorized distribution is drawn
   * to them, and the two together are a local optimum (no single change improves them) below the
   * best combination. Other variables get values ~ N(0, 1); costs uniform in [0, 10), base cost
   * 100; numbers rounded to 3 decimals; every mean log-likelihood at most -10.
   *
   * @param modeValue the better good combination's value, &gt; 0 (nats)
   * @param noiseSigma the noise's standard deviation, not negative
   * @throws IllegalArgumentException when no layer has two variables of three or more choices
   */
  public static Landscape deceptive(
      SearchSpace space, long seed, double modeValue, double noiseSigma) {
    return LandscapeFile.deceptive(space, seed, modeValue, noiseSigma);
  }

  /** The space scored. */
  public SearchSpace space() {
    return space;
  }

  /** The standard deviation of the noise added by {@link #logLikelihood}. */
  public double noiseSigma() {
    return noiseSigma;
  }

  /** The seed of the noise streams. */
  public long noiseSeed() {
    return noiseSeed;
  }

  /** The noise-free log-likelihood of an architecture. */
  public double meanLogLikelihood(Architecture a) {
    a.validate(space);
    double sum = base;
    for (int l = 0; l < values.length; l++) {
      for (int m = 0; m < a.variableCount(l); m++) {
        sum += values[l][m][a.choice(l, m)];
      }
    }
    for (Interaction interaction : interactions) {
      if (interaction.matches(a)) {
        sum += interaction.value();
      }
    }
    return sum;
  }

  /**
   * The noisy log-likelihood of sample {@code index} of iteration {@code iteration}: the mean plus
   * {@code sigma} times a standard normal drawn (Box–Muller) from {@code
   * SplitMix64.seeded(noiseSeed, 1, iteration, index)}.
   */
  public double logLikelihood(Architecture a, int iteration, int index) {
    double mean = meanLogLikelihood(a);
    if (noiseSigma == 0) {
      return mean;
    }
    return mean
        + noiseSigma * SplitMix64.seeded(noiseSeed, NOISE_DOMAIN, iteration, index).nextGaussian();
  }

  /** The cost: base cost plus each choice's cost. */
  public double cost(Architecture a) {
    a.validate(space);
    double sum = baseCost;
    for (int l = 0; l < costs.length; l++) {
      for (int m = 0; m < a.variableCount(l); m++) {
        sum += costs[l][m][a.choice(l, m)];
      }
    }
    return sum;
  }

  /**
   * The architecture with the highest mean log-likelihood, found exactly (whatever the size of the
   * space) by max-sum variable elimination over the choice values and the pairwise interactions;
   * ties go to the lower choice index. Computed once.
   *
   * @throws IllegalStateException when the interactions link so many variables that exact
   *     elimination would need a table of more than 4,194,304 entries (dense interactions on a
   *     large space); the message says so
   */
  public Architecture best() {
    Architecture found = best;
    if (found == null) {
      found = BestArchitecture.find(this);
      best = found;
    }
    return found;
  }

  /**
   * The mean log-likelihood expected under a distribution, {@code E_{A~p}[meanLogLikelihood(A)]},
   * exactly: each choice's value times its marginal probability, each interaction's value times the
   * probability of taking both choices (the product of the marginals across layers and under FD;
   * the layer's joint probabilities under JD).
   */
  public double expectedMeanLogLikelihood(Distribution distribution) {
    if (!distribution.space().equals(space)) {
      throw new IllegalArgumentException(
          "the distribution is over space '"
              + distribution.space().name()
              + "', this landscape over '"
              + space.name()
              + "'");
    }
    double[][][] marginals = new double[values.length][][];
    double sum = base;
    for (int l = 0; l < values.length; l++) {
      marginals[l] = new double[values[l].length][];
      for (int m = 0; m < values[l].length; m++) {
        marginals[l][m] = distribution.marginal(l, m);
        for (int c = 0; c < values[l][m].length; c++) {
          sum += marginals[l][m][c] * values[l][m][c];
        }
      }
    }
    for (Interaction i : interactions) {
      double both;
      if (i.layer1() == i.layer2() && distribution.phase() == Phase.JOINT) {
        both =
            distribution.pairProbability(
                i.layer1(), i.variable1(), i.choice1(), i.variable2(), i.choice2());
      } else {
        both =
            marginals[i.layer1()][i.variable1()][i.choice1()]
                * marginals[i.layer2()][i.variable2()][i.choice2()];
      }
      sum += both * i.value();
    }
    return sum;
  }

  /** {@code meanLogLikelihood(best()) − expectedMeanLogLikelihood(distribution)}. */
  public double expectedRegret(Distribution distribution) {
    return meanLogLikelihood(best()) - expectedMeanLogLikelihood(distribution);
  }

  /** {@code meanLogLikelihood(best()) − meanLogLikelihood(a)}: 0 for the best, else positive. */
  public double regret(Architecture a) {
    return meanLogLikelihood(best()) - meanLogLikelihood(a);
  }

  /** A scorer that returns {@link #logLikelihood} and {@link #cost}. */
  public Scorer asScorer() {
    return (iteration, index, a) -> new Scorer.Score(logLikelihood(a, iteration, index), cost(a));
  }

  /** The landscape in its YAML file format. */
  public String toYaml() {
    return LandscapeFile.toYaml(this);
  }

  /** The landscape as compact JSON in the same format. */
  public String toJson() {
    return LandscapeFile.toJson(this);
  }

  double base() {
    return base;
  }

  double baseCost() {
    return baseCost;
  }

  double value(int l, int m, int c) {
    return values[l][m][c];
  }

  double choiceCost(int l, int m, int c) {
    return costs[l][m][c];
  }

  List<Interaction> interactions() {
    return interactions;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Landscape other
        && Double.compare(base, other.base) == 0
        && Double.compare(baseCost, other.baseCost) == 0
        && Double.compare(noiseSigma, other.noiseSigma) == 0
        && noiseSeed == other.noiseSeed
        && Arrays.deepEquals(values, other.values)
        && Arrays.deepEquals(costs, other.costs)
        && interactions.equals(other.interactions)
        && space.equals(other.space);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        base,
        baseCost,
        noiseSigma,
        noiseSeed,
        Arrays.deepHashCode(values),
        Arrays.deepHashCode(costs),
        interactions);
  }

  @Override
  public String toString() {
    return "Landscape["
        + space.name()
        + ", "
        + interactions.size()
        + " interactions, sigma "
        + noiseSigma
        + "]";
  }
}
