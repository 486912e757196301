package org.fpnas.bench.djl;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.fpnas.core.Hyperparameters;
import org.fpnas.core.InProcessSearch;
import org.fpnas.core.Scorer;
import org.fpnas.core.SearchResult;
import org.fpnas.core.SplitMix64;
import org.fpnas.core.mbconv.FlopsCounter;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.SearchSpace;
import org.fpnas.evaluator.api.EvaluationRequest;
import org.fpnas.evaluator.api.Measurement;
import org.fpnas.evaluator.data.Datasets;
import org.fpnas.evaluator.data.FashionMnist;
import org.fpnas.evaluator.djl.DjlEvaluator;
import org.fpnas.evaluator.djl.FinalTraining;

/**
 * Measurements of the DJL evaluator (not a test): {@code samples N} times N sample evaluations and
 * samples the resident memory; {@code search} runs a whole search in-process (the same math as the
 * pipeline, core's InProcessSearch with the DJL evaluator as scorer) and then the final training of
 * the found and a random architecture. Settings: {@code k=v} arguments, with hyperparameters by
 * name, evaluator settings as {@code e.name}, and {@code epochs}.
 *
 * <pre>
 * mvn -B -q -DskipTests package
 * java -cp app/target/fpnas.jar org.fpnas.bench.djl.DjlBenchmark samples 1000 trainSteps=5
 * </pre>
 */
public final class DjlBenchmark {
  private DjlBenchmark() {}

  public static void main(String[] args) throws Exception {
    SearchSpace space = SearchSpace.parse(resource("fbnet-fmnist.yaml"), "fbnet-fmnist.yaml");
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 2; i < args.length; i++) {
      String[] kv = args[i].split("=", 2);
      options.put(kv[0], kv[1]);
    }
    switch (args[0]) {
      case "samples" -> samples(space, Integer.parseInt(args[1]), options);
      case "search" -> search(space, args[1], options);
      default -> throw new IllegalArgumentException("samples N | search NAME [k=v ...]");
    }
  }

  private static void samples(SearchSpace space, int n, Map<String, String> settings) {
    long start = System.nanoTime();
    double[] train = new double[n];
    double[] validation = new double[n];
    double[] total = new double[n];
    long peak = 0;
    try (DjlEvaluator evaluator = DjlEvaluator.create(Map.of())) {
      for (int i = 0; i < n; i++) {
        Architecture a = uniform(space, 1000 + i);
        long t0 = System.nanoTime();
        Measurement m =
            evaluator.evaluate(
                new EvaluationRequest("bench", i / 8, i % 8, 0, a, space, 7L, settings, null));
        total[i] = (System.nanoTime() - t0) / 1e6;
        train[i] = m.metrics().get("trainMs");
        validation[i] = m.metrics().get("validationMs");
        long rss = rssMb();
        peak = Math.max(peak, rss);
        if ((i + 1) % 50 == 0) {
          System.out.printf(
              Locale.ROOT,
              "%5d evaluations, %6.1f s, RSS %d MB (peak %d MB), heap used %d MB, last 50: %.0f ms/sample%n",
              i + 1,
              (System.nanoTime() - start) / 1e9,
              rss,
              peak,
              heapMb(),
              mean(Arrays.copyOfRange(total, i - 49, i + 1)));
        }
      }
    }
    int skip = Math.min(20, n / 5); // JIT and allocator warm-up
    System.out.printf(
        Locale.ROOT,
        "per sample (after the first %d): mean %.1f ms = training %.1f ms + validation %.1f ms;"
            + " median %.1f ms; peak RSS %d MB%n",
        skip,
        mean(slice(total, skip)),
        mean(slice(train, skip)),
        mean(slice(validation, skip)),
        median(slice(total, skip)),
        peak);
  }

  private static void search(SearchSpace space, String name, Map<String, String> options) {
    Map<String, String> hyper = new LinkedHashMap<>();
    Map<String, String> settings = new LinkedHashMap<>();
    int epochs = 2;
    for (Map.Entry<String, String> e : options.entrySet()) {
      if (e.getKey().equals("epochs")) {
        epochs = Integer.parseInt(e.getValue());
      } else if (e.getKey().startsWith("e.")) {
        settings.put(e.getKey().substring(2), e.getValue());
      } else {
        hyper.put(e.getKey(), e.getValue());
      }
    }
    Hyperparameters hp = Hyperparameters.fromMap(hyper);
    FlopsCounter counter = new FlopsCounter(space);
    long start = System.nanoTime();
    SearchResult result;
    try (DjlEvaluator evaluator = DjlEvaluator.create(Map.of())) {
      Scorer scorer =
          (t, k, a) -> {
            Measurement m =
                evaluator.evaluate(
                    new EvaluationRequest(name, t, k, 0, a, space, hp.seed(), settings, null));
            return new Scorer.Score(m.logLikelihood(), m.cost());
          };
      result =
          new InProcessSearch(space, hp, scorer)
              .listener(
                  o -> {
                    if (o.next().iteration() % 10 == 0 || o.next().done()) {
                      Architecture mode = o.next().distribution().mode();
                      System.out.printf(
                          Locale.ROOT,
                          "iteration %d, %.0f s: K %d, entropy %.2f, mode %s (%.3f MFLOPs, p %.4f)%n",
                          o.next().iteration(),
                          (System.nanoTime() - start) / 1e9,
                          o.next().sampleCount(),
                          o.next().distribution().entropy(),
                          mode,
                          counter.multiplyAdds(mode) / 1e6,
                          o.next().distribution().probability(mode));
                    }
                  })
              .run();
    }
    double searchSeconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "search: %d iterations, %d samples, %.1f s%n",
        result.updates(),
        result.samplesEvaluated(),
        searchSeconds);
    Architecture found = result.architecture();
    System.out.println("found " + found + " " + found.describe(space));
    FinalTraining.Comparison c =
        new FinalTraining(space, Datasets.load(FashionMnist.NAME, null))
            .epochs(epochs)
            .progress(System.out::println)
            .compare(found);
    System.out.print(c.table(space));
    System.out.printf(
        Locale.ROOT,
        "total (search + final training): %.1f s%n",
        (System.nanoTime() - start) / 1e9);
  }

  static Architecture uniform(SearchSpace space, long seed) {
    SplitMix64 random = new SplitMix64(seed);
    int[][] c = new int[space.layerCount()][];
    for (int l = 0; l < c.length; l++) {
      c[l] = new int[space.layer(l).variables().size()];
      for (int m = 0; m < c[l].length; m++) {
        c[l][m] = random.nextInt(space.choiceCount(l, m));
      }
    }
    return Architecture.of(c);
  }

  private static double[] slice(double[] v, int from) {
    return Arrays.copyOfRange(v, from, v.length);
  }

  private static double mean(double[] v) {
    return Arrays.stream(v).average().orElse(0);
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length == 0 ? 0 : s[s.length / 2];
  }

  private static long rssMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
        }
      }
    } catch (IOException e) {
      // not Linux: no RSS
    }
    return -1;
  }

  private static long heapMb() {
    Runtime r = Runtime.getRuntime();
    return (r.totalMemory() - r.freeMemory()) / (1024 * 1024);
  }

  private static String resource(String name) throws IOException {
    try (InputStream in =
        DjlBenchmark.class.getResourceAsStream("/org/fpnas/core/examples/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
