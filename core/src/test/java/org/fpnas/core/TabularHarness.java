package org.fpnas.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fpnas.core.landscape.Landscape;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.SearchSpace;

/**
 * A minimal in-process harness for tuning the search's defaults on tabular benchmarks
 * (NAS-Bench-201 and NAS-Bench-Macro, CIFAR-10), until the product's tabular evaluator and {@code
 * fpnas bench --only search-quality} exist: each query returns one recorded training seed's
 * accuracy (seed drawn from (search seed, iteration, index)), turned into a summed log-likelihood
 * of a batch of B images, {@code B · ln(accuracy)}; the answer is the final distribution's mode,
 * reported by its held-out accuracy. Regularized evolution (population 20, tournament 5,
 * one-variable mutation) and random search answer with the best signal seen.
 *
 * <p>Run by hand: {@code java -cp ... org.fpnas.core.TabularHarness DATA_DIR [B] [name=k=v,...]...}
 */
public final class TabularHarness {
  static final int[] BUDGETS = {100, 200, 400, 800, 1600};

  /** One benchmark: a space of L layers of one variable, signals per seed, held-out metric. */
  record Table(
      String name,
      SearchSpace space,
      Map<Long, double[]> signal,
      Map<Long, Double> heldOut,
      double optimum,
      Map<Long, Double> cost) {
    double cost(Architecture a) {
      return cost.get(key(a));
    }

    double[] signals(Architecture a) {
      return signal.get(key(a));
    }

    double heldOut(Architecture a) {
      return heldOut.get(key(a));
    }

    long key(Architecture a) {
      long k = 0;
      for (int l = 0; l < a.layerCount(); l++) {
        k = k * 16 + a.choice(l, 0);
      }
      return k;
    }
  }

  static final List<String> NB201_OPS =
      List.of("none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3");

  static Table nb201(Path file) throws IOException {
    SearchSpace space = SearchSpace.uniform("nb201", 6, 5);
    Map<Long, double[]> signal = new HashMap<>();
    Map<Long, Double> held = new HashMap<>();
    Map<Long, Double> cost = new HashMap<>();
    double best = 0;
    List<String> lines = Files.readAllLines(file);
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      String[] edges = f[1].replace("+", "").split("\\|");
      int[][] choices = new int[6][1];
      int e = 0;
      for (String edge : edges) {
        if (!edge.isEmpty()) {
          choices[e++][0] = NB201_OPS.indexOf(edge.substring(0, edge.indexOf('~')));
        }
      }
      String[] seeds = f[2].trim().split(" ");
      double[] s = new double[seeds.length];
      for (int i = 0; i < s.length; i++) {
        s[i] = Double.parseDouble(seeds[i]);
      }
      Architecture a = Architecture.of(choices);
      Table probe = new Table("", space, null, null, 0, null);
      signal.put(probe.key(a), s);
      double test = Double.parseDouble(f[4]);
      held.put(probe.key(a), test);
      cost.put(probe.key(a), Double.parseDouble(f[8]));
      best = Math.max(best, test);
    }
    return new Table("NB201", space, signal, held, best, cost);
  }

  static Table macro(Path file) throws IOException {
    SearchSpace space = SearchSpace.uniform("macro", 8, 3);
    JsonNode root = new ObjectMapper().readTree(file.toFile());
    Map<Long, double[]> signal = new HashMap<>();
    Map<Long, Double> held = new HashMap<>();
    Map<Long, Double> cost = new HashMap<>();
    double best = 0;
    for (var e : root.properties()) {
      int[][] choices = new int[8][1];
      for (int l = 0; l < 8; l++) {
        choices[l][0] = e.getKey().charAt(l) - '0';
      }
      JsonNode runs = e.getValue().get("test_acc");
      double[] s = new double[runs.size()];
      for (int i = 0; i < s.length; i++) {
        s[i] = runs.get(i).asDouble();
      }
      Architecture a = Architecture.of(choices);
      Table probe = new Table("", space, null, null, 0, null);
      signal.put(probe.key(a), s);
      double mean = e.getValue().get("mean_acc").asDouble();
      held.put(probe.key(a), mean);
      cost.put(probe.key(a), e.getValue().get("flops").asDouble());
      best = Math.max(best, mean);
    }
    return new Table("Macro", space, signal, held, best, cost);
  }

  /** One recorded seed's accuracy (%), the seed a pure function of the key. */
  static double query(Table table, Architecture a, long seed, long t, long k) {
    double[] s = table.signals(a);
    long h = SplitMix64.seeded(seed, 99, t, k).nextLong();
    return s[(int) Long.remainderUnsigned(h, s.length)];
  }

  /** Held-out accuracy of FP-NAS's mode at each budget. */
  static double[] fpnas(Table table, Map<String, String> settings, double batch, long seed) {
    Hyperparameters hp =
        Hyperparameters.fromMap(settings)
            .with("seed", Long.toString(seed))
            .with("maxIterations", "100000");
    FpNas fpNas = new FpNas(table.space(), hp);
    SearchState state = fpNas.initial();
    double[] out = new double[BUDGETS.length];
    int b = 0;
    long used = 0;
    while (b < BUDGETS.length) {
      List<Architecture> samples =
          Sampler.samples(state.distribution(), seed, state.iteration(), state.sampleCount());
      if (used + samples.size() > BUDGETS[b]) {
        out[b++] = table.heldOut(state.distribution().mode());
        continue;
      }
      List<Evaluation> results = new ArrayList<>();
      for (int k = 0; k < samples.size(); k++) {
        double acc = query(table, samples.get(k), seed, state.iteration(), k);
        results.add(new Evaluation(k, samples.get(k), batch * StrictMath.log(acc / 100), 0));
      }
      used += samples.size();
      state = fpNas.update(state, results).next();
    }
    return out;
  }

  static Architecture random(SearchSpace space, SplitMix64 rng) {
    int[][] c = new int[space.layerCount()][1];
    for (int l = 0; l < c.length; l++) {
      c[l][0] = (int) (rng.nextDouble() * space.choiceCount(l, 0));
    }
    return Architecture.of(c);
  }

  static double[] randomSearch(Table table, long seed) {
    SplitMix64 rng = SplitMix64.seeded(seed, 7);
    double[] out = new double[BUDGETS.length];
    double bestSignal = -1;
    Architecture best = null;
    int b = 0;
    for (int q = 1; q <= BUDGETS[BUDGETS.length - 1]; q++) {
      Architecture a = random(table.space(), rng);
      double s = query(table, a, seed, 0, q);
      if (s > bestSignal) {
        bestSignal = s;
        best = a;
      }
      if (q == BUDGETS[b]) {
        out[b++] = table.heldOut(best);
      }
    }
    return out;
  }

  static double[] evolution(Table table, long seed) {
    SplitMix64 rng = SplitMix64.seeded(seed, 8);
    java.util.ArrayDeque<Architecture> population = new java.util.ArrayDeque<>();
    Map<Architecture, Double> fitness = new HashMap<>();
    List<Double> popFit = new ArrayList<>();
    java.util.ArrayDeque<Double> fits = new java.util.ArrayDeque<>();
    double[] out = new double[BUDGETS.length];
    double bestSignal = -1;
    Architecture best = null;
    int b = 0;
    for (int q = 1; q <= BUDGETS[BUDGETS.length - 1]; q++) {
      Architecture child;
      if (population.size() < 20) {
        child = random(table.space(), rng);
      } else {
        List<Architecture> pop = new ArrayList<>(population);
        List<Double> pf = new ArrayList<>(fits);
        int parent = -1;
        for (int i = 0; i < 5; i++) {
          int c = (int) (rng.nextDouble() * pop.size());
          if (parent < 0 || pf.get(c) > pf.get(parent)) {
            parent = c;
          }
        }
        int[][] choices = pop.get(parent).choices();
        int l = (int) (rng.nextDouble() * choices.length);
        int n = table.space().choiceCount(l, 0);
        int shift = 1 + (int) (rng.nextDouble() * (n - 1));
        choices[l][0] = (choices[l][0] + shift) % n;
        child = Architecture.of(choices);
      }
      double s = query(table, child, seed, 0, q);
      population.addLast(child);
      fits.addLast(s);
      if (population.size() > 20) {
        population.removeFirst();
        fits.removeFirst();
      }
      if (s > bestSignal) {
        bestSignal = s;
        best = child;
      }
      if (q == BUDGETS[b]) {
        out[b++] = table.heldOut(best);
      }
    }
    return out;
  }

  interface Method {
    double[] run(Table table, long seed);
  }

  static String row(String name, Table table, Method m, int seeds) {
    double[][] r = new double[seeds][];
    for (int s = 0; s < seeds; s++) {
      r[s] = m.run(table, s);
    }
    StringBuilder sb =
        new StringBuilder(String.format(Locale.ROOT, "| %-6s | %-44s |", table.name(), name));
    for (int b = 0; b < BUDGETS.length; b++) {
      double mean = 0;
      for (double[] x : r) {
        mean += x[b];
      }
      mean /= seeds;
      double var = 0;
      for (double[] x : r) {
        var += (x[b] - mean) * (x[b] - mean);
      }
      sb.append(String.format(Locale.ROOT, " %.2f ± %.2f |", mean, Math.sqrt(var / (seeds - 1))));
    }
    return sb.toString();
  }

  static final int[] SYNTHETIC_BUDGETS = {1000, 4000};

  /** Median regret (nats) of the mode at each synthetic budget, over seeds 0..seeds-1. */
  static String synthetic(
      String name,
      SearchSpace space,
      Landscape landscape,
      Map<String, String> settings,
      int seeds) {
    double[][] regret = new double[SYNTHETIC_BUDGETS.length][seeds];
    for (int seed = 0; seed < seeds; seed++) {
      Hyperparameters hp =
          Hyperparameters.fromMap(settings)
              .with("seed", Long.toString(seed))
              .with("maxIterations", "100000");
      FpNas fpNas = new FpNas(space, hp);
      SearchState state = fpNas.initial();
      long used = 0;
      int b = 0;
      while (b < SYNTHETIC_BUDGETS.length) {
        if (used + state.sampleCount() > SYNTHETIC_BUDGETS[b]) {
          regret[b++][seed] = landscape.regret(state.distribution().mode());
          continue;
        }
        List<Architecture> samples =
            Sampler.samples(state.distribution(), seed, state.iteration(), state.sampleCount());
        List<Evaluation> results = new ArrayList<>();
        for (int k = 0; k < samples.size(); k++) {
          results.add(
              new Evaluation(
                  k,
                  samples.get(k),
                  landscape.logLikelihood(samples.get(k), state.iteration(), k),
                  0));
        }
        used += samples.size();
        state = fpNas.update(state, results).next();
      }
    }
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "| %-6s |", name));
    for (double[] r : regret) {
      double[] sorted = r.clone();
      java.util.Arrays.sort(sorted);
      int zero = 0;
      for (double x : r) {
        zero += x < 1e-9 ? 1 : 0;
      }
      sb.append(
          String.format(
              Locale.ROOT,
              " %.2f [%.2f, %.2f] %d/%d |",
              sorted[seeds / 2],
              sorted[0],
              sorted[seeds - 1],
              zero,
              seeds));
    }
    return sb.toString();
  }

  static void syntheticRows(Map<String, String> settings, String label) {
    SearchSpace s6 = SearchSpace.uniform("s6", 6, 3, 4, 2);
    SearchSpace m12 = SearchSpace.uniform("m12", 12, 3, 4, 2);
    SearchSpace l20 = SearchSpace.uniform("l20", 20, 3, 3, 2, 2);
    System.out.println(
        "synthetic "
            + label
            + " (median regret [min, max], best found) at "
            + java.util.Arrays.toString(SYNTHETIC_BUDGETS)
            + " samples");
    System.out.println(
        synthetic("small", Examples.smallSpace(), Examples.smallLandscape(), settings, 10));
    System.out.println(synthetic("s6", s6, Landscape.random(s6, 7, 0.05, 0.5), settings, 10));
    System.out.println(synthetic("m12", m12, Landscape.random(m12, 7, 0.02, 0.5), settings, 10));
    System.out.println(synthetic("l20", l20, Landscape.random(l20, 7, 0.01, 0.5), settings, 10));
  }

  /**
   * Cost-aware search on a table: for each settings string (with beta and costTarget), the answer's
   * held-out accuracy, its cost, and how often it meets the target, at 400 and 1600 queries; beside
   * it regularized evolution that never queries an over-budget architecture (the cost is known
   * before training) and the best held-out accuracy within the budget.
   */
  static void costAware(Table table, double target, int seeds, List<String> settingsList) {
    double bestWithin = 0;
    for (var e : table.heldOut().entrySet()) {
      if (table.cost().get(e.getKey()) <= target) {
        bestWithin = Math.max(bestWithin, e.getValue());
      }
    }
    System.out.printf(
        Locale.ROOT,
        "%s, cost target %.4g: best within budget %.2f%n",
        table.name(),
        target,
        bestWithin);
    System.out.println(
        "| method | accuracy at 400 | cost at 400 | within | accuracy at 1600 | cost"
            + " at 1600 | within |");
    double[][] re = new double[seeds][];
    for (int seed = 0; seed < seeds; seed++) {
      re[seed] = constrainedEvolution(table, seed, target);
    }
    System.out.println(costRow("evolution within budget", re, target));
    for (String settings : settingsList) {
      Map<String, String> map = new LinkedHashMap<>();
      for (String kv : settings.split(",")) {
        String[] p = kv.split("=", 2);
        map.put(p[0], p[1]);
      }
      double[][] r = new double[seeds][];
      for (int seed = 0; seed < seeds; seed++) {
        r[seed] = fpnasCost(table, map, seed);
      }
      System.out.println(costRow(settings, r, target));
    }
  }

  /** [accuracy, cost] at 400 and 1600 queries. */
  static double[] fpnasCost(Table table, Map<String, String> settings, long seed) {
    Hyperparameters hp =
        Hyperparameters.fromMap(settings)
            .with("seed", Long.toString(seed))
            .with("maxIterations", "100000");
    FpNas fpNas = new FpNas(table.space(), hp);
    SearchState state = fpNas.initial();
    int[] budgets = {400, 1600};
    double[] out = new double[4];
    int b = 0;
    long used = 0;
    while (b < budgets.length) {
      if (used + state.sampleCount() > budgets[b]) {
        Architecture mode = state.distribution().mode();
        out[2 * b] = table.heldOut(mode);
        out[2 * b + 1] = table.cost(mode);
        b++;
        continue;
      }
      List<Architecture> samples =
          Sampler.samples(state.distribution(), seed, state.iteration(), state.sampleCount());
      List<Evaluation> results = new ArrayList<>();
      for (int k = 0; k < samples.size(); k++) {
        double acc = query(table, samples.get(k), seed, state.iteration(), k);
        results.add(
            new Evaluation(
                k, samples.get(k), 256 * StrictMath.log(acc / 100), table.cost(samples.get(k))));
      }
      used += samples.size();
      state = fpNas.update(state, results).next();
    }
    return out;
  }

  static double[] constrainedEvolution(Table table, long seed, double target) {
    SplitMix64 rng = SplitMix64.seeded(seed, 8);
    java.util.ArrayDeque<Architecture> population = new java.util.ArrayDeque<>();
    java.util.ArrayDeque<Double> fits = new java.util.ArrayDeque<>();
    double[] out = new double[4];
    double bestSignal = -1;
    Architecture best = null;
    for (int q = 1; q <= 1600; q++) {
      Architecture child;
      do {
        if (population.size() < 20) {
          child = random(table.space(), rng);
        } else {
          List<Architecture> pop = new ArrayList<>(population);
          List<Double> pf = new ArrayList<>(fits);
          int parent = -1;
          for (int i = 0; i < 5; i++) {
            int c = (int) (rng.nextDouble() * pop.size());
            if (parent < 0 || pf.get(c) > pf.get(parent)) {
              parent = c;
            }
          }
          int[][] choices = pop.get(parent).choices();
          int l = (int) (rng.nextDouble() * choices.length);
          int n = table.space().choiceCount(l, 0);
          choices[l][0] = (choices[l][0] + 1 + (int) (rng.nextDouble() * (n - 1))) % n;
          child = Architecture.of(choices);
        }
      } while (table.cost(child) > target);
      double s = query(table, child, seed, 0, q);
      population.addLast(child);
      fits.addLast(s);
      if (population.size() > 20) {
        population.removeFirst();
        fits.removeFirst();
      }
      if (s > bestSignal) {
        bestSignal = s;
        best = child;
      }
      if (q == 400 || q == 1600) {
        int b = q == 400 ? 0 : 1;
        out[2 * b] = table.heldOut(best);
        out[2 * b + 1] = table.cost(best);
      }
    }
    return out;
  }

  static String costRow(String name, double[][] r, double target) {
    StringBuilder sb = new StringBuilder("| " + name + " |");
    for (int b = 0; b < 2; b++) {
      double acc = 0;
      double cost = 0;
      int within = 0;
      for (double[] x : r) {
        acc += x[2 * b];
        cost += x[2 * b + 1];
        within += x[2 * b + 1] <= target ? 1 : 0;
      }
      double var = 0;
      for (double[] x : r) {
        var += (x[2 * b] - acc / r.length) * (x[2 * b] - acc / r.length);
      }
      sb.append(
          String.format(
              Locale.ROOT,
              " %.2f ± %.2f | %.4g | %d/%d |",
              acc / r.length,
              Math.sqrt(var / (r.length - 1)),
              cost / r.length,
              within,
              r.length));
    }
    return sb.toString();
  }

  public static void main(String[] args) throws IOException {
    if (args[0].equals("cost")) {
      Table macro =
          macro(Path.of(args[1]).resolve("nas-bench-macro-cifar10/nas-bench-macro_cifar10.json"));
      costAware(
          macro,
          Double.parseDouble(args[2]),
          Integer.parseInt(args[3]),
          List.of(args).subList(4, args.length));
      return;
    }
    if (args[0].equals("synthetic")) {
      for (int i = 1; i < args.length; i++) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String kv : args[i].split(",")) {
          if (!kv.isEmpty()) {
            String[] p = kv.split("=", 2);
            settings.put(p[0], p[1]);
          }
        }
        syntheticRows(settings, args[i]);
      }
      return;
    }
    Path dir = Path.of(args[0]);
    int seeds = Integer.parseInt(args[1]);
    List<Table> tables =
        List.of(
            nb201(dir.resolve("nasbench201-cifar10/nb201_cifar10.csv")),
            macro(dir.resolve("nas-bench-macro-cifar10/nas-bench-macro_cifar10.json")));
    System.out.println("| table | method | 100 | 200 | 400 | 800 | 1600 |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (Table t : tables) {
      if (args.length > 2 && args[2].equals("baselines")) {
        System.out.println(row("random search", t, TabularHarness::randomSearch, seeds));
        System.out.println(row("regularized evolution", t, TabularHarness::evolution, seeds));
      }
    }
    for (int i = 2; i < args.length; i++) {
      if (args[i].equals("baselines")) {
        continue;
      }
      // B:settings, e.g. 256:learningRate=0.1,kMin=8
      String[] parts = args[i].split(":", 2);
      double batch = Double.parseDouble(parts[0]);
      Map<String, String> settings = new LinkedHashMap<>();
      if (parts.length > 1 && !parts[1].isEmpty()) {
        for (String kv : parts[1].split(",")) {
          String[] p = kv.split("=", 2);
          settings.put(p[0], p[1]);
        }
      }
      for (Table t : tables) {
        System.out.println(
            row(
                "B=" + parts[0] + " " + (parts.length > 1 ? parts[1] : ""),
                t,
                (table, seed) -> fpnas(table, settings, batch, seed),
                seeds));
      }
    }
  }
}
