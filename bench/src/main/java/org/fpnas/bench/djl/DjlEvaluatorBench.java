package org.fpnas.bench.djl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.fpnas.bench.Bench;
import org.fpnas.bench.BenchContext;
import org.fpnas.bench.report.Section;
import org.fpnas.bench.report.Stats;
import org.fpnas.bench.report.Summary;
import org.fpnas.bench.report.Table;
import org.fpnas.evaluator.api.EvaluatorProvider;

/**
 * Benchmark 8: the DJL supernet evaluator's time per sample, its split, and the peak resident
 * memory of an evaluator process. The evaluator is looked up at run time (kind {@code djl} through
 * {@link ServiceLoader}), so this benchmark runs as soon as it is on the classpath and says why it
 * skipped until then.
 */
public final class DjlEvaluatorBench implements Bench {
  static final String KIND = "djl";
  static final String SPACE = "fbnet-fmnist.yaml";

  @Override
  public String name() {
    return "djl-evaluator";
  }

  @Override
  public String title() {
    return "DJL evaluator";
  }

  @Override
  public String method() {
    return "A separate JVM (`DjlProbe`, same classpath) creates the evaluator of kind `"
        + KIND
        + "` through "
        + "`ServiceLoader`, as the evaluator service does, and evaluates samples drawn uniformly from the shipped `"
        + SPACE
        + "` space, timing each `evaluate` call with `System.nanoTime`. The first evaluation (engine start, "
        + "supernet construction, data loading) is reported apart from the steady state. The split into training steps "
        + "and validation is what the evaluator reports in its metrics. Peak resident memory is the probe process's "
        + "`VmHWM` after the last evaluation: one evaluator, its data and the native engine, without Kafka clients.";
  }

  @Override
  public Section run(BenchContext context) throws Exception {
    int samples = context.size(2, 6);
    Map<String, String> evaluatorSettings = new LinkedHashMap<>();
    if (context.quick()) {
      // CI checks that the row is produced, not the figure: two training steps instead of the
      // default.
      evaluatorSettings.put("trainSteps", "2");
    }
    evaluatorSettings.putAll(context.djlSettings());
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(
        "evaluator",
        "kind "
            + KIND
            + ", settings "
            + (evaluatorSettings.isEmpty()
                ? "(its defaults)"
                : evaluatorSettings + " (others at their defaults)"));
    settings.put("space", SPACE + " (uniform samples, seed 0)");
    settings.put("samples", Integer.toString(samples));
    List<String> kinds = new ArrayList<>();
    ServiceLoader.load(EvaluatorProvider.class).forEach(p -> kinds.add(p.kind()));
    if (!kinds.contains(KIND)) {
      return skipped(
          "no evaluator of kind '" + KIND + "' on the classpath (found " + kinds + ")", settings);
    }
    if (DjlEvaluatorBench.class.getResource("/org/fpnas/core/examples/" + SPACE) == null) {
      return skipped("the space " + SPACE + " is not on the classpath", settings);
    }
    context.progress("%s: %d evaluations in a separate JVM", name(), samples);
    Probe probe = runProbe(context, samples, evaluatorSettings);
    if (probe.skipReason != null) {
      return skipped(probe.skipReason, settings);
    }
    if (probe.millis.size() < 2) {
      throw new IllegalStateException(
          "the DJL probe reported "
              + probe.millis.size()
              + " evaluation(s), expected "
              + samples
              + "; see "
              + probe.log);
    }
    Table table = new Table().column("measure").column("n").summaryColumn("value", 1);
    table.row(
        "first evaluation (ms), incl. engine start and supernet build", 1, probe.millis.get(0));
    List<Double> steady = probe.millis.subList(1, probe.millis.size());
    table.row("evaluation, steady state (ms)", steady.size(), Summary.of(steady));
    TreeSet<String> keys = new TreeSet<>();
    probe.metrics.subList(1, probe.metrics.size()).forEach(m -> keys.addAll(m.keySet()));
    Map<String, Summary> split = new LinkedHashMap<>();
    for (String key : keys) {
      List<Double> values = new ArrayList<>();
      for (Map<String, Double> m : probe.metrics.subList(1, probe.metrics.size())) {
        if (m.containsKey(key)) {
          values.add(m.get(key));
        }
      }
      Summary s = Summary.of(values);
      split.put(key, s);
      table.row("metric " + key, values.size(), s);
    }
    table.row(
        "peak resident memory of the evaluator process (MiB)",
        1,
        probe.peakRssKib > 0 ? probe.peakRssKib / 1024.0 : Double.NaN);
    List<String> findings = new ArrayList<>();
    String train = timing(split.keySet(), "train");
    String valid = timing(split.keySet(), "valid");
    String splitText =
        train != null && valid != null
            ? String.format(
                Locale.ROOT,
                "; %s %.1f, %s %.1f (medians)",
                train,
                split.get(train).median(),
                valid,
                split.get(valid).median())
            : "; the evaluator reports no training/validation split (metrics: " + keys + ")";
    findings.add(
        String.format(
            Locale.ROOT,
            "%.0f ms per sample evaluation in the steady state (median of %d)%s; the first "
                + "took %.0f ms; peak resident memory %s.",
            Stats.median(steady.stream().mapToDouble(Double::doubleValue).toArray()),
            steady.size(),
            splitText,
            probe.millis.get(0),
            probe.peakRssKib > 0
                ? String.format(Locale.ROOT, "%.0f MiB", probe.peakRssKib / 1024.0)
                : "unknown"));
    return new Section(name(), title(), method(), settings, steady.size(), table, findings);
  }

  /** The metric that times a phase (a name with the phase in it, ending in "ms"), or null. */
  static String timing(java.util.Collection<String> metrics, String phase) {
    return metrics.stream()
        .filter(k -> k.toLowerCase(Locale.ROOT).contains(phase))
        .filter(k -> k.toLowerCase(Locale.ROOT).endsWith("ms"))
        .findFirst()
        .orElse(null);
  }

  /** What the probe process said. */
  private static final class Probe {
    final List<Double> millis = new ArrayList<>();
    final List<Map<String, Double>> metrics = new ArrayList<>();
    long peakRssKib = -1;
    String skipReason;
    Path log;
  }

  private Probe runProbe(BenchContext context, int samples, Map<String, String> evaluatorSettings)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                DjlProbe.class.getName(),
                KIND,
                SPACE,
                Integer.toString(samples)));
    evaluatorSettings.forEach((k, v) -> command.add(k + "=" + v));
    Files.createDirectories(context.workDir());
    Probe probe = new Probe();
    probe.log = context.workDir().resolve("djl-probe.log");
    Path output = context.workDir().resolve("djl-probe.out");
    // Both streams go to files, so that a silent, hanging probe cannot block this thread past the
    // limit.
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(output.toFile())
            .redirectError(probe.log.toFile())
            .start();
    long limitMinutes = context.size(5L, 15L);
    try {
      if (!process.waitFor(limitMinutes, TimeUnit.MINUTES)) {
        throw new IllegalStateException(
            "the DJL probe ran longer than " + limitMinutes + " minutes; see " + probe.log);
      }
    } finally {
      if (process.isAlive()) {
        process.destroyForcibly();
      }
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(
          "the DJL probe failed (exit " + process.exitValue() + "): " + tail(probe.log));
    }
    for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
      parse(line, probe);
    }
    return probe;
  }

  private static void parse(String line, Probe probe) {
    if (line.startsWith("SKIP ")) {
      probe.skipReason = line.substring(5);
    } else if (line.startsWith("RSS ")) {
      probe.peakRssKib = Long.parseLong(line.substring(4).trim());
    } else if (line.startsWith("SAMPLE ")) {
      String[] parts = line.substring(7).split(" ", 2);
      probe.millis.add(Double.parseDouble(parts[0]));
      Map<String, Double> m = new LinkedHashMap<>();
      if (parts.length > 1 && !parts[1].isBlank()) {
        for (String kv : parts[1].split(";")) {
          int eq = kv.indexOf('=');
          m.put(kv.substring(0, eq), Double.parseDouble(kv.substring(eq + 1)));
        }
      }
      probe.metrics.add(m);
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (IOException e) {
      return "(no log at " + log + ")";
    }
  }
}
