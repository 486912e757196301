package org.fpnas.core.tabular;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import org.fpnas.core.AccuracyLikelihood;
import org.fpnas.core.Scorer;
import org.fpnas.core.SplitMix64;
import org.fpnas.core.settings.Decimal;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.Layer;
import org.fpnas.core.space.SearchSpace;
import org.fpnas.core.space.Variable;

/**
 * A tabular benchmark: every architecture of a space with the results someone else recorded when
 * training it to completion, so that a search strategy is judged in seconds on numbers no one here
 * can tune. Built from a {@link BenchmarkMapping}, a space file and a table, and checked against
 * each other when loaded: every architecture of the space has exactly one row, every row names an
 * architecture of the space, and every signal, cost and held-out cell is a number; otherwise a
 * {@link TableFormatException} names the file, the row and the column.
 *
 * <p>A query of architecture A by sample (t, k) of a search with seed s reads the accuracy of one
 * training seed, {@code trainingSeed(row, s, t, k)}, a pure function of (s, t, k) (a SplitMix64
 * stream keyed by {@link #SEED_STREAM}, t and k, so searches are bit-reproducible and replayable),
 * and turns it into a log-likelihood with the mapping's {@link AccuracyLikelihood}. The held-out
 * metric is only read by {@link #heldOut} and {@link #rank}: no query returns it. Lookups are array
 * reads (architecture to row by its mixed-radix code), for benchmarks of millions of queries.
 * Immutable and safe to share between threads.
 */
public final class TabularBenchmark {
  /** The shipped benchmarks, classpath resources under {@code org/fpnas/core/benchmarks/NAME/}. */
  public static final List<String> SHIPPED =
      List.of("nasbench201-cifar10", "nas-bench-macro-cifar10");

  /** Key of the training-seed stream, so it never coincides with the sampler's streams. */
  public static final long SEED_STREAM = 0x7AB1E5EEDL;

  private static final String RESOURCES = "org/fpnas/core/benchmarks/";
  private static final long MAX_ARCHITECTURES = 1L << 24;

  private final BenchmarkMapping mapping;
  private final SearchSpace space;
  private final int[] rowOfCode;
  private final Architecture[] architectures;
  private final double[][] accuracies;
  private final double[][] logLikelihoods;
  private final double[] costs;
  private final double[] heldOut;
  private final double[] trainingTimes;
  private final int[] ranks;
  private final int bestRow;

  private TabularBenchmark(
      String mappingSource,
      BenchmarkMapping mapping,
      SearchSpace space,
      String tableFile,
      String tableText) {
    this.mapping = mapping;
    this.space = space;
    if (space.architectureCount() > MAX_ARCHITECTURES) {
      throw new TableFormatException(
          mapping.spaceFile(),
          0,
          null,
          "space '"
              + space.name()
              + "' has "
              + space.architectureCount()
              + " architectures; a table holds at most "
              + MAX_ARCHITECTURES);
    }
    int variables = 0;
    for (Layer layer : space.layers()) {
      variables += layer.variables().size();
    }
    int groups = mapping.architecturePattern().matcher("").groupCount();
    if (groups != variables) {
      throw new TableFormatException(
          mappingSource,
          0,
          null,
          "architecture.pattern has "
              + groups
              + " groups, space '"
              + space.name()
              + "' has "
              + variables
              + " variables (one group per variable)");
    }
    List<TableReader.Row> rows = TableReader.read(tableText, tableFile, mapping.columns());
    int n = rows.size();
    rowOfCode = new int[(int) space.architectureCount()];
    Arrays.fill(rowOfCode, -1);
    architectures = new Architecture[n];
    accuracies = new double[n][];
    logLikelihoods = new double[n][];
    costs = new double[n];
    heldOut = new double[n];
    trainingTimes = mapping.trainingTimeColumn() == null ? null : new double[n];
    for (int r = 0; r < n; r++) {
      TableReader.Row row = rows.get(r);
      Architecture a = architecture(row, tableFile);
      int code = code(a);
      if (rowOfCode[code] >= 0) {
        throw new TableFormatException(
            tableFile,
            row.number(),
            mapping.architectureColumn(),
            "architecture " + a + " is already in row " + (rowOfCode[code] + 1));
      }
      rowOfCode[code] = r;
      architectures[r] = a;
      accuracies[r] = accuracies(row, tableFile);
      logLikelihoods[r] = new double[accuracies[r].length];
      for (int s = 0; s < accuracies[r].length; s++) {
        logLikelihoods[r][s] = mapping.likelihood().logLikelihood(accuracies[r][s]);
      }
      costs[r] = number(row, mapping.costColumn(), tableFile);
      if (costs[r] < 0) {
        throw new TableFormatException(
            tableFile,
            row.number(),
            mapping.costColumn(),
            "a cost must not be negative, got " + costs[r]);
      }
      heldOut[r] = number(row, mapping.heldOutColumn(), tableFile);
      if (trainingTimes != null) {
        trainingTimes[r] = number(row, mapping.trainingTimeColumn(), tableFile);
        if (!(trainingTimes[r] >= 0)) {
          throw new TableFormatException(
              tableFile,
              row.number(),
              mapping.trainingTimeColumn(),
              "a training time must not be negative, got " + trainingTimes[r]);
        }
      }
    }
    for (int code = 0; code < rowOfCode.length; code++) {
      if (rowOfCode[code] < 0) {
        Architecture missing = decode(code);
        throw new TableFormatException(
            tableFile,
            0,
            mapping.architectureColumn(),
            "no row for architecture "
                + missing
                + " "
                + missing.describe(space)
                + " of space '"
                + space.name()
                + "' ("
                + space.architectureCount()
                + " architectures, "
                + n
                + " rows)");
      }
    }
    ranks = ranks(heldOut);
    int best = 0;
    for (int r = 1; r < n; r++) {
      if (heldOut[r] > heldOut[best]) {
        best = r;
      }
    }
    bestRow = best;
  }

  /**
   * A shipped benchmark by name, e.g. {@code nasbench201-cifar10}.
   *
   * @throws IllegalArgumentException for an unknown name, listing the shipped ones
   */
  public static TabularBenchmark shipped(String name) {
    if (!SHIPPED.contains(name)) {
      throw new IllegalArgumentException(
          "unknown benchmark '"
              + name
              + "' (shipped: "
              + String.join(", ", SHIPPED)
              + "; or give the path of a benchmark.yaml)");
    }
    return read(name + "/benchmark.yaml", file -> resource(RESOURCES + name + "/" + file));
  }

  /** A benchmark from its mapping file; the space and table files are read relative to it. */
  public static TabularBenchmark load(Path mappingFile) {
    Path dir = mappingFile.toAbsolutePath().getParent();
    return read(mappingFile.toString(), file -> readFile(dir.resolve(file)));
  }

  /**
   * A benchmark from its files' texts.
   *
   * @param mappingSource the mapping's name for error messages
   * @param files the text of a file named in the mapping (the mapping itself is {@code
   *     benchmark.yaml})
   */
  public static TabularBenchmark read(String mappingSource, Function<String, String> files) {
    BenchmarkMapping mapping = BenchmarkMapping.parse(files.apply("benchmark.yaml"), mappingSource);
    // Errors name the files as the mapping's folder holds them.
    String folder = mappingSource.substring(0, mappingSource.lastIndexOf('/') + 1);
    SearchSpace space =
        SearchSpace.parse(files.apply(mapping.spaceFile()), folder + mapping.spaceFile());
    return new TabularBenchmark(
        mappingSource,
        mapping,
        space,
        folder + mapping.tableFile(),
        files.apply(mapping.tableFile()));
  }

  /** The mapping (names, columns, the signal's conversion). */
  public BenchmarkMapping mapping() {
    return mapping;
  }

  /** The benchmark's name. */
  public String name() {
    return mapping.name();
  }

  /** The space its table covers. */
  public SearchSpace space() {
    return space;
  }

  /** The number of rows, one per architecture of the space. */
  public int size() {
    return architectures.length;
  }

  /**
   * The row of an architecture.
   *
   * @throws IllegalArgumentException when the architecture is not of this benchmark's space
   */
  public int row(Architecture architecture) {
    if (architecture.layerCount() != space.layerCount()) {
      architecture.validate(space); // throws, naming the mismatch
    }
    int code = 0;
    int stride = 1;
    for (int l = 0; l < space.layerCount(); l++) {
      int variables = architecture.variableCount(l);
      if (variables != space.layer(l).variables().size()) {
        architecture.validate(space);
      }
      for (int m = 0; m < variables; m++) {
        int count = space.choiceCount(l, m);
        int choice = architecture.choice(l, m);
        if (choice >= count) {
          architecture.validate(space);
        }
        code += choice * stride;
        stride *= count;
      }
    }
    return rowOfCode[code];
  }

  /** The architecture of a row. */
  public Architecture architecture(int row) {
    return architectures[row];
  }

  /** The number of training seeds recorded for a row. */
  public int seedCount(int row) {
    return accuracies[row].length;
  }

  /**
   * The training seed that sample {@code index} of iteration {@code iteration} of a search with
   * seed {@code seed} reads: uniform over the row's seeds, a pure function of (seed, iteration,
   * index).
   */
  public int trainingSeed(int row, long seed, int iteration, int index) {
    int count = accuracies[row].length;
    return count == 1 ? 0 : SplitMix64.seeded(seed, SEED_STREAM, iteration, index).nextInt(count);
  }

  /** The signal of one training seed: its accuracy, a fraction in [0, 1]. */
  public double accuracy(int row, int trainingSeed) {
    return accuracies[row][trainingSeed];
  }

  /** The signal of one training seed as a log-likelihood (see {@link AccuracyLikelihood}). */
  public double logLikelihood(int row, int trainingSeed) {
    return logLikelihoods[row][trainingSeed];
  }

  /**
   * The log-likelihood that sample (iteration, index) of a search with this seed gets for an
   * architecture.
   */
  public double query(Architecture architecture, long seed, int iteration, int index) {
    int row = row(architecture);
    return logLikelihoods[row][trainingSeed(row, seed, iteration, index)];
  }

  /** The cost of a row, in the unit of the mapping's cost column. */
  public double cost(int row) {
    return costs[row];
  }

  /** Whether the table records each architecture's training time. */
  public boolean hasTrainingTime() {
    return trainingTimes != null;
  }

  /**
   * The recorded training time of a row, in the unit of the mapping's column.
   *
   * @throws IllegalStateException when the mapping names no training time
   */
  public double trainingTime(int row) {
    if (trainingTimes == null) {
      throw new IllegalStateException(name() + " records no training time");
    }
    return trainingTimes[row];
  }

  /** The held-out metric of a row: reported for an answer, never a signal. */
  public double heldOut(int row) {
    return heldOut[row];
  }

  /** The rank of a row by held-out metric, 1 for the best; ties share the better rank. */
  public int rank(int row) {
    return ranks[row];
  }

  /** The row with the best held-out metric (the first of them). */
  public int bestRow() {
    return bestRow;
  }

  /** The scorer of a search with this seed: the queried log-likelihood and the row's cost. */
  public Scorer scorer(long seed) {
    return (iteration, index, architecture) -> {
      int row = row(architecture);
      return new Scorer.Score(
          logLikelihoods[row][trainingSeed(row, seed, iteration, index)], costs[row]);
    };
  }

  @Override
  public String toString() {
    return "TabularBenchmark[" + name() + ", " + size() + " architectures]";
  }

  private Architecture architecture(TableReader.Row row, String file) {
    String text = row.cells().get(mapping.architectureColumn());
    Matcher matcher = mapping.architecturePattern().matcher(text);
    if (!matcher.matches()) {
      throw new TableFormatException(
          file,
          row.number(),
          mapping.architectureColumn(),
          "'"
              + text
              + "' does not match the mapping's architecture.pattern "
              + mapping.architecturePattern());
    }
    int[][] choices = new int[space.layerCount()][];
    int group = 1;
    for (int l = 0; l < space.layerCount(); l++) {
      List<Variable> variables = space.layer(l).variables();
      choices[l] = new int[variables.size()];
      for (int m = 0; m < variables.size(); m++) {
        String choice = matcher.group(group++);
        choices[l][m] = variables.get(m).indexOf(choice);
        if (choices[l][m] < 0) {
          throw new TableFormatException(
              file,
              row.number(),
              mapping.architectureColumn(),
              "'"
                  + choice
                  + "' is not a choice of variable '"
                  + variables.get(m).name()
                  + "' of layer '"
                  + space.layer(l).name()
                  + "' (choices: "
                  + String.join(", ", variables.get(m).choices())
                  + ")");
        }
      }
    }
    return Architecture.of(choices);
  }

  private double[] accuracies(TableReader.Row row, String file) {
    String column = mapping.signalColumn();
    String text = row.cells().get(column).strip();
    if (text.isEmpty()) {
      throw new TableFormatException(
          file, row.number(), column, "no value (one accuracy per training seed expected)");
    }
    String[] parts = text.split("\\s+");
    double[] values = new double[parts.length];
    double scale = mapping.signalPercent() ? 100 : 1;
    for (int s = 0; s < parts.length; s++) {
      Double value = Decimal.parseFinite(parts[s]);
      if (value == null) {
        throw new TableFormatException(
            file, row.number(), column, "'" + parts[s] + "' is not a number");
      }
      if (!(value >= 0 && value <= scale)) {
        throw new TableFormatException(
            file,
            row.number(),
            column,
            "accuracy "
                + parts[s]
                + " is outside 0.."
                + (mapping.signalPercent() ? "100 (percent)" : "1 (fraction)"));
      }
      values[s] = value / scale;
    }
    return values;
  }

  private static double number(TableReader.Row row, String column, String file) {
    String text = row.cells().get(column);
    Double value = Decimal.parseFinite(text);
    if (value == null) {
      throw new TableFormatException(file, row.number(), column, "'" + text + "' is not a number");
    }
    return value;
  }

  private int code(Architecture a) {
    int code = 0;
    int stride = 1;
    for (int l = 0; l < space.layerCount(); l++) {
      for (int m = 0; m < a.variableCount(l); m++) {
        code += a.choice(l, m) * stride;
        stride *= space.choiceCount(l, m);
      }
    }
    return code;
  }

  private Architecture decode(int code) {
    int[][] choices = new int[space.layerCount()][];
    for (int l = 0; l < space.layerCount(); l++) {
      choices[l] = new int[space.layer(l).variables().size()];
      for (int m = 0; m < choices[l].length; m++) {
        choices[l][m] = code % space.choiceCount(l, m);
        code /= space.choiceCount(l, m);
      }
    }
    return Architecture.of(choices);
  }

  private static int[] ranks(double[] values) {
    Integer[] order = new Integer[values.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(values[b], values[a]));
    int[] ranks = new int[values.length];
    for (int i = 0; i < order.length; i++) {
      boolean tie = i > 0 && values[order[i]] == values[order[i - 1]];
      ranks[order[i]] = tie ? ranks[order[i - 1]] : i + 1;
    }
    return ranks;
  }

  private static String resource(String name) {
    try (InputStream in = TabularBenchmark.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("resource " + name + " is missing from the fpnas-core jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read resource " + name + ": " + e.getMessage(), e);
    }
  }

  private static String readFile(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new TableFormatException(file.toString(), 0, null, "cannot be read: " + e.getMessage());
    }
  }
}
