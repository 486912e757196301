package org.fpnas.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.SearchSpace;

/**
 * A cost known before evaluation (multiply-adds or parameters computed from the architecture, a
 * table's cost column) and a target it must not exceed: the search then samples from its
 * distribution restricted to the architectures within the target, and answers with the most likely
 * of them (docs/algorithm.md §4, "Known cost"). Pure: the same distribution, seed, iteration and
 * index give the same sample.
 */
public final class CostConstraint {
  /** Whole architectures drawn for one sample before the last draw is repaired instead. */
  static final int MAX_DRAWS = 100_000;

  /** Architectures the most-likely search visits before it repairs the mode instead. */
  static final int MAX_VISITS = 200_000;

  private final SearchSpace space;
  private final ToDoubleFunction<Architecture> cost;
  private final double target;

  private CostConstraint(SearchSpace space, ToDoubleFunction<Architecture> cost, double target) {
    this.space = space;
    this.cost = cost;
    this.target = target;
  }

  /**
   * @throws IllegalArgumentException when no architecture of the space is found within the target:
   *     the cheapest found (by changing one variable at a time to a cheaper choice, from the first
   *     choice of each) is named with its cost
   */
  public static CostConstraint of(
      SearchSpace space, ToDoubleFunction<Architecture> cost, double target) {
    Objects.requireNonNull(space, "space");
    Objects.requireNonNull(cost, "cost");
    if (!(target > 0) || Double.isInfinite(target)) {
      throw new IllegalArgumentException("the cost target must be positive and finite: " + target);
    }
    CostConstraint constraint = new CostConstraint(space, cost, target);
    int[][] first = new int[space.layerCount()][];
    for (int l = 0; l < first.length; l++) {
      first[l] = new int[space.layer(l).variables().size()];
    }
    Architecture cheapest = constraint.descend(Architecture.of(first), Double.NEGATIVE_INFINITY);
    if (constraint.costOf(cheapest) > target) {
      throw new IllegalArgumentException(
          "costTarget "
              + target
              + " is below the cost of every architecture found: the cheapest, "
              + cheapest
              + ", costs "
              + constraint.costOf(cheapest));
    }
    return constraint;
  }

  /** The target. */
  public double target() {
    return target;
  }

  /** The known cost of an architecture. */
  public double costOf(Architecture architecture) {
    double c = cost.applyAsDouble(architecture);
    if (!(c >= 0) || Double.isInfinite(c)) {
      throw new IllegalStateException(
          "the known cost of " + architecture + " is not a finite number >= 0: " + c);
    }
    return c;
  }

  /** Whether the architecture is within the target. */
  public boolean within(Architecture architecture) {
    return costOf(architecture) <= target;
  }

  /**
   * Sample {@code index} of {@code iteration}, from the distribution restricted to the target:
   * whole architectures are drawn from the sample's own stream until one is within the target (the
   * first draw is the unrestricted sample); after {@link #MAX_DRAWS} the last draw is repaired.
   */
  public Architecture sample(Distribution distribution, long seed, int iteration, int index) {
    if (iteration < 0 || index < 0) {
      throw new IllegalArgumentException(
          "iteration and index must not be negative, got " + iteration + " and " + index);
    }
    return sample(distribution, SplitMix64.seeded(seed, Sampler.DOMAIN, iteration, index));
  }

  /** Draw number {@code draw} of an asynchronous search, restricted to the target likewise. */
  public Architecture drawn(Distribution distribution, long seed, long draw) {
    return sample(distribution, Sampler.stream(seed, draw));
  }

  private Architecture sample(Distribution distribution, SplitMix64 random) {
    Architecture drawn = null;
    for (int draw = 0; draw < MAX_DRAWS; draw++) {
      drawn = distribution.draw(random);
      if (within(drawn)) {
        return drawn;
      }
    }
    return repaired(drawn);
  }

  /**
   * The most likely architecture within the target: architectures are visited in order of falling
   * probability (best first over the softmax blocks) until one is within it; after {@link
   * #MAX_VISITS}, the mode repaired.
   */
  public Architecture mode(Distribution distribution) {
    return mostLikelyWithin(distribution).orElseGet(() -> repaired(distribution.mode()));
  }

  private Optional<Architecture> mostLikelyWithin(Distribution distribution) {
    Layout layout = distribution.layout();
    double[][] logProbs = blocks(distribution, layout);
    int blocks = logProbs.length;
    int[][] order = new int[blocks][];
    for (int b = 0; b < blocks; b++) {
      double[] lp = logProbs[b];
      order[b] =
          IntStream.range(0, lp.length)
              .boxed()
              .sorted(Comparator.comparingDouble((Integer i) -> -lp[i]).thenComparingInt(i -> i))
              .mapToInt(Integer::intValue)
              .toArray();
    }
    PriorityQueue<Node> queue =
        new PriorityQueue<>(
            Comparator.comparingDouble((Node n) -> -n.logProbability)
                .thenComparing((a, b) -> Arrays.compare(a.ranks, b.ranks)));
    double top = 0;
    for (int b = 0; b < blocks; b++) {
      top += logProbs[b][order[b][0]];
    }
    queue.add(new Node(new int[blocks], 0, top));
    for (int visits = 0; visits < MAX_VISITS && !queue.isEmpty(); visits++) {
      Node node = queue.poll();
      Architecture a = architecture(layout, order, node.ranks);
      if (within(a)) {
        return Optional.of(a);
      }
      // Each rank vector is reached once: only blocks at or after the last one moved advance.
      for (int b = node.last; b < blocks; b++) {
        int r = node.ranks[b];
        if (r + 1 < order[b].length) {
          int[] next = node.ranks.clone();
          next[b] = r + 1;
          double lp = node.logProbability - logProbs[b][order[b][r]] + logProbs[b][order[b][r + 1]];
          if (lp > Double.NEGATIVE_INFINITY) {
            queue.add(new Node(next, b, lp));
          }
        }
      }
    }
    return Optional.empty();
  }

  /** The log-probabilities of each softmax block: per variable (factorized) or per layer. */
  private static double[][] blocks(Distribution distribution, Layout layout) {
    double[][] perLayer = distribution.logProbabilities();
    if (layout.phase == Phase.JOINT) {
      return perLayer;
    }
    List<double[]> out = new ArrayList<>();
    for (int l = 0; l < layout.counts.length; l++) {
      for (int m = 0; m < layout.counts[l].length; m++) {
        int start = layout.offsets[l][m];
        out.add(Arrays.copyOfRange(perLayer[l], start, start + layout.counts[l][m]));
      }
    }
    return out.toArray(new double[0][]);
  }

  private static Architecture architecture(Layout layout, int[][] order, int[] ranks) {
    int layers = layout.counts.length;
    int[][] choices = new int[layers][];
    int b = 0;
    for (int l = 0; l < layers; l++) {
      choices[l] = new int[layout.counts[l].length];
      if (layout.phase == Phase.JOINT) {
        layout.decode(l, order[b][ranks[b]], choices[l]);
        b++;
      } else {
        for (int m = 0; m < choices[l].length; m++) {
          choices[l][m] = order[b][ranks[b]];
          b++;
        }
      }
    }
    return Architecture.of(choices);
  }

  /** Cheaper one variable at a time until within the target. */
  private Architecture repaired(Architecture architecture) {
    Architecture a = descend(architecture, target);
    if (!within(a)) {
      throw new IllegalStateException(
          "no architecture within costTarget " + target + " reached from " + architecture);
    }
    return a;
  }

  /**
   * Steepest descent on the cost, one variable changed per step, until the cost is at or below
   * {@code stopAt} or no single change lowers it. Ties go to the first layer, variable and choice.
   */
  private Architecture descend(Architecture start, double stopAt) {
    int[][] choices = start.choices();
    double current = costOf(start);
    while (current > stopAt) {
      double best = current;
      int bestL = -1;
      int bestM = -1;
      int bestC = -1;
      for (int l = 0; l < choices.length; l++) {
        for (int m = 0; m < choices[l].length; m++) {
          int was = choices[l][m];
          for (int c = 0; c < space.choiceCount(l, m); c++) {
            if (c == was) {
              continue;
            }
            choices[l][m] = c;
            double cost = costOf(Architecture.of(choices));
            if (cost < best) {
              best = cost;
              bestL = l;
              bestM = m;
              bestC = c;
            }
          }
          choices[l][m] = was;
        }
      }
      if (bestL < 0) {
        break;
      }
      choices[bestL][bestM] = bestC;
      current = best;
    }
    return Architecture.of(choices);
  }

  private record Node(int[] ranks, int last, double logProbability) {}
}
