package org.fpnas.core;

import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.SearchSpace;
import org.fpnas.core.space.SpaceRules;

/**
 * Where each softmax block sits in a layer's logit vector, for one space and phase.
 *
 * <p>FD: layer {@code l} has one block per variable, at {@code start[l][m]} with {@code |C[l][m]|}
 * entries. JD: one block per layer over all combinations, indexed in mixed radix with the last
 * variable varying fastest: {@code index = Σ_m c_m · radix[l][m]}, {@code radix[l][M-1] = 1},
 * {@code radix[l][m] = radix[l][m+1] · |C[l][m+1]|}.
 */
final class Layout {
  final Phase phase;

  /** The choice counts |C[l][m]|. */
  final int[][] counts;

  /** FD: the start of each variable's block; JD: the radix of each variable. */
  final int[][] offsets;

  /** The length of each layer's logit vector. */
  final int[] sizes;

  private Layout(SearchSpace space, Phase phase) {
    this.phase = phase;
    int layers = space.layerCount();
    counts = new int[layers][];
    offsets = new int[layers][];
    sizes = new int[layers];
    if (phase == Phase.JOINT) {
      SpaceRules.require(SpaceRules.jointProblem(space));
    }
    for (int l = 0; l < layers; l++) {
      int variables = space.layer(l).variables().size();
      counts[l] = new int[variables];
      offsets[l] = new int[variables];
      for (int m = 0; m < variables; m++) {
        counts[l][m] = space.choiceCount(l, m);
      }
      if (phase == Phase.FACTORIZED) {
        int start = 0;
        for (int m = 0; m < variables; m++) {
          offsets[l][m] = start;
          start += counts[l][m];
        }
        sizes[l] = start;
      } else {
        int radix = 1;
        for (int m = variables - 1; m >= 0; m--) {
          offsets[l][m] = radix;
          radix *= counts[l][m];
        }
        sizes[l] = radix;
      }
    }
  }

  static Layout of(SearchSpace space, Phase phase) {
    return new Layout(space, phase);
  }

  int blockCount(int l) {
    return phase == Phase.FACTORIZED ? counts[l].length : 1;
  }

  int blockStart(int l, int block) {
    return phase == Phase.FACTORIZED ? offsets[l][block] : 0;
  }

  int blockSize(int l, int block) {
    return phase == Phase.FACTORIZED ? counts[l][block] : sizes[l];
  }

  /** JD: the joint index of a layer's choices. */
  int jointIndex(int l, Architecture a) {
    int index = 0;
    for (int m = 0; m < a.variableCount(l); m++) {
      index += a.choice(l, m) * offsets[l][m];
    }
    return index;
  }

  /** JD: the choices of a joint index, written into {@code out}. */
  void decode(int l, int index, int[] out) {
    for (int m = 0; m < out.length; m++) {
      out[m] = index / offsets[l][m];
      index -= out[m] * offsets[l][m];
    }
  }

  static long parameterCount(SearchSpace space, Phase phase) {
    long total = 0;
    for (int l = 0; l < space.layerCount(); l++) {
      long layer = 0;
      if (phase == Phase.FACTORIZED) {
        for (int m = 0; m < space.layer(l).variables().size(); m++) {
          layer += space.choiceCount(l, m);
        }
      } else {
        layer = space.layer(l).jointSize();
      }
      total = total > Long.MAX_VALUE - layer ? Long.MAX_VALUE : total + layer;
    }
    return total;
  }
}
