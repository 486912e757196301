package org.fpnas.core.landscape;

import java.util.ArrayList;
import java.util.List;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.SearchSpace;

/**
 * Finds a landscape's best architecture exactly by max-sum variable elimination.
 *
 * <p>The mean log-likelihood is a sum of one table per variable (its choices' values) and one per
 * interacting pair of variables, so its maximum is found by eliminating variables one at a time:
 * the tables that mention a variable are replaced by one table over their other variables, holding
 * the best sum over the eliminated variable's choices (and which choice gave it). Variables are
 * eliminated cheapest first (fewest table entries, then lowest index); back-substitution in reverse
 * order reads off the best choices. The cost grows with the largest table, which stays small for
 * sparse interactions; a landscape whose interactions would need a table of more than {@value
 * #MAX_TABLE} entries is refused with a clear error. Ties between equal sums go to the lower choice
 * index of the variable eliminated.
 */
final class BestArchitecture {
  /** The largest table allowed, in entries (doubles). */
  static final int MAX_TABLE = 1 << 22;

  /** A table over some variables, indexed in mixed radix with the last variable fastest. */
  private static final class Table {
    final int[] variables; // ascending flat variable indices
    final double[] values;

    Table(int[] variables, double[] values) {
      this.variables = variables;
      this.values = values;
    }

    boolean mentions(int variable) {
      for (int v : variables) {
        if (v == variable) {
          return true;
        }
      }
      return false;
    }
  }

  /** What eliminating a variable left for back-substitution: its best choice per context. */
  private record Elimination(int variable, int[] context, int[] bestChoice) {}

  private BestArchitecture() {}

  static Architecture find(Landscape landscape) {
    SearchSpace space = landscape.space();
    List<int[]> flat = new ArrayList<>();
    int[][] flatIndex = new int[space.layerCount()][];
    for (int l = 0; l < space.layerCount(); l++) {
      flatIndex[l] = new int[space.layer(l).variables().size()];
      for (int m = 0; m < flatIndex[l].length; m++) {
        flatIndex[l][m] = flat.size();
        flat.add(new int[] {l, m});
      }
    }
    int n = flat.size();
    int[] sizes = new int[n];
    List<Table> tables = new ArrayList<>();
    for (int v = 0; v < n; v++) {
      int l = flat.get(v)[0];
      int m = flat.get(v)[1];
      sizes[v] = space.choiceCount(l, m);
      double[] values = new double[sizes[v]];
      for (int c = 0; c < sizes[v]; c++) {
        values[c] = landscape.value(l, m, c);
      }
      tables.add(new Table(new int[] {v}, values));
    }
    for (Landscape.Interaction i : landscape.interactions()) {
      int v = flatIndex[i.layer1()][i.variable1()];
      int w = flatIndex[i.layer2()][i.variable2()]; // v < w: the earlier variable comes first
      double[] values = new double[sizes[v] * sizes[w]];
      values[i.choice1() * sizes[w] + i.choice2()] = i.value();
      tables.add(new Table(new int[] {v, w}, values));
    }

    boolean[] eliminated = new boolean[n];
    List<Elimination> eliminations = new ArrayList<>();
    for (int step = 0; step < n; step++) {
      int variable = cheapest(tables, sizes, eliminated);
      eliminations.add(eliminate(variable, tables, sizes, landscape));
      eliminated[variable] = true;
    }

    int[] choice = new int[n];
    for (int e = eliminations.size() - 1; e >= 0; e--) {
      Elimination elimination = eliminations.get(e);
      int index = 0;
      for (int v : elimination.context()) {
        index = index * sizes[v] + choice[v];
      }
      choice[elimination.variable()] = elimination.bestChoice()[index];
    }
    int[][] choices = new int[space.layerCount()][];
    for (int l = 0; l < choices.length; l++) {
      choices[l] = new int[flatIndex[l].length];
      for (int m = 0; m < choices[l].length; m++) {
        choices[l][m] = choice[flatIndex[l][m]];
      }
    }
    return Architecture.of(choices);
  }

  /** The variable whose elimination makes the smallest table (lowest index on ties). */
  private static int cheapest(List<Table> tables, int[] sizes, boolean[] eliminated) {
    int best = -1;
    long bestCost = Long.MAX_VALUE;
    for (int v = 0; v < sizes.length; v++) {
      if (eliminated[v]) {
        continue;
      }
      long cost = sizes[v];
      for (int w : context(v, tables)) {
        cost = SearchSpace.saturatingMultiply(cost, sizes[w]);
      }
      if (cost < bestCost) {
        bestCost = cost;
        best = v;
      }
    }
    return best;
  }

  /** The other variables of the tables that mention {@code variable}, ascending. */
  private static int[] context(int variable, List<Table> tables) {
    java.util.TreeSet<Integer> others = new java.util.TreeSet<>();
    for (Table t : tables) {
      if (t.mentions(variable)) {
        for (int v : t.variables) {
          if (v != variable) {
            others.add(v);
          }
        }
      }
    }
    return others.stream().mapToInt(Integer::intValue).toArray();
  }

  private static Elimination eliminate(
      int variable, List<Table> tables, int[] sizes, Landscape landscape) {
    int[] context = context(variable, tables);
    long entries = sizes[variable];
    for (int v : context) {
      entries = SearchSpace.saturatingMultiply(entries, sizes[v]);
    }
    if (entries > MAX_TABLE) {
      throw new IllegalStateException(
          "the best architecture of this landscape cannot be found "
              + "exactly: its interactions link too many variables (a table of "
              + entries
              + " entries, more than "
              + MAX_TABLE
              + "; space '"
              + landscape.space().name()
              + "', "
              + landscape.interactions().size()
              + " interactions); use fewer interactions");
    }
    List<Table> involved = new ArrayList<>();
    for (Table t : tables) {
      if (t.mentions(variable)) {
        involved.add(t);
      }
    }
    tables.removeAll(involved);

    // For each involved table: the stride of each context variable and of the variable itself.
    int[][] contextStrides = new int[involved.size()][context.length];
    int[] ownStride = new int[involved.size()];
    for (int t = 0; t < involved.size(); t++) {
      int[] vars = involved.get(t).variables;
      int stride = 1;
      for (int i = vars.length - 1; i >= 0; i--) {
        if (vars[i] == variable) {
          ownStride[t] = stride;
        } else {
          for (int j = 0; j < context.length; j++) {
            if (context[j] == vars[i]) {
              contextStrides[t][j] = stride;
            }
          }
        }
        stride *= sizes[vars[i]];
      }
    }

    int size = (int) (entries / sizes[variable]);
    double[] best = new double[size];
    int[] bestChoice = new int[size];
    int[] assignment = new int[context.length];
    int[] base = new int[involved.size()];
    for (int index = 0; index < size; index++) {
      for (int t = 0; t < base.length; t++) {
        int offset = 0;
        for (int j = 0; j < context.length; j++) {
          offset += assignment[j] * contextStrides[t][j];
        }
        base[t] = offset;
      }
      double max = Double.NEGATIVE_INFINITY;
      int argmax = 0;
      for (int c = 0; c < sizes[variable]; c++) {
        double sum = 0;
        for (int t = 0; t < base.length; t++) {
          sum += involved.get(t).values[base[t] + c * ownStride[t]];
        }
        if (sum > max) {
          max = sum;
          argmax = c;
        }
      }
      best[index] = max;
      bestChoice[index] = argmax;
      // Next assignment of the context, last variable fastest (matching the table index).
      for (int j = context.length - 1; j >= 0; j--) {
        if (++assignment[j] < sizes[context[j]]) {
          break;
        }
        assignment[j] = 0;
      }
    }
    tables.add(new Table(context, best));
    return new Elimination(variable, context, bestChoice);
  }
}
