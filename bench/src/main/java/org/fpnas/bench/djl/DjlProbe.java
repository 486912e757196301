package org.fpnas.bench.djl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.fpnas.bench.SyntheticSpaces;
import org.fpnas.core.Distribution;
import org.fpnas.core.Phase;
import org.fpnas.core.Sampler;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.SearchSpace;
import org.fpnas.evaluator.api.EvaluationRequest;
import org.fpnas.evaluator.api.Evaluator;
import org.fpnas.evaluator.api.EvaluatorProvider;
import org.fpnas.evaluator.api.Measurement;

/**
 * The evaluator process of the DJL benchmark: a JVM of its own, so that its peak resident memory is
 * the evaluator's alone. Creates the evaluator of a kind through {@link ServiceLoader}, as the
 * evaluator service does, evaluates samples drawn uniformly from a shipped space, and prints one
 * line per fact on standard output for {@link DjlEvaluatorBench} to read:
 *
 * <pre>
 *   SAMPLE &lt;ms&gt; &lt;metric&gt;=&lt;value&gt;;...   one per evaluation, the first one included
 *   RSS &lt;peak resident KiB&gt;               VmHWM of /proc/self/status (absent where unknown)
 *   SKIP &lt;reason&gt;                           the evaluator or its data is missing here
 * </pre>
 *
 * Arguments: kind, space resource name, number of samples, then evaluator settings as name=value.
 */
public final class DjlProbe {
  private DjlProbe() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      throw new IllegalArgumentException(
          "usage: DjlProbe KIND SPACE_RESOURCE SAMPLES [name=value ...]");
    }
    String kind = args[0];
    SearchSpace space = SearchSpace.parse(SyntheticSpaces.example(args[1]), args[1]);
    int samples = Integer.parseInt(args[2]);
    Map<String, String> settings = new LinkedHashMap<>();
    for (int i = 3; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException("evaluator setting '" + args[i] + "' is not name=value");
      }
      settings.put(args[i].substring(0, eq), args[i].substring(eq + 1));
    }
    EvaluatorProvider provider = null;
    for (EvaluatorProvider p : ServiceLoader.load(EvaluatorProvider.class)) {
      provider = kind.equals(p.kind()) ? p : provider;
    }
    if (provider == null) {
      System.out.println("SKIP no evaluator of kind '" + kind + "' on the classpath");
      return;
    }
    // dataDir is the evaluator's own setting (where the data is here), never a search's.
    Map<String, String> search = new LinkedHashMap<>(settings);
    search.remove("dataDir");
    Distribution uniform = Distribution.uniform(space, Phase.FACTORIZED);
    try (Evaluator evaluator = provider.create(settings)) {
      for (int k = 0; k < samples; k++) {
        Architecture a = Sampler.sample(uniform, 0, 0, k);
        EvaluationRequest request =
            new EvaluationRequest("bench-" + kind, 0, k, 1, a, space, 0, search, null);
        long start = System.nanoTime();
        Measurement m = evaluator.evaluate(request);
        double ms = (System.nanoTime() - start) / 1e6;
        String metrics =
            m.metrics().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(";"));
        System.out.println("SAMPLE " + ms + " " + metrics);
        System.out.flush();
      }
    } catch (Exception e) {
      Throwable missing = e;
      while (missing != null
          && !missing.getClass().getSimpleName().equals("DataUnavailableException")) {
        missing = missing.getCause();
      }
      if (missing == null) {
        throw e;
      }
      System.out.println("SKIP " + oneLine(missing.getMessage()));
      return;
    }
    long rss = peakRssKib();
    if (rss > 0) {
      System.out.println("RSS " + rss);
    }
  }

  /** VmHWM (peak resident set size) of this process in KiB, or -1 where the system does not say. */
  static long peakRssKib() {
    Path status = Path.of("/proc/self/status");
    try {
      if (Files.isReadable(status)) {
        for (String line : Files.readAllLines(status)) {
          if (line.startsWith("VmHWM:")) {
            return Long.parseLong(line.replaceAll("[^0-9]", ""));
          }
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  private static String oneLine(String s) {
    return s == null ? "data unavailable" : s.replace('\n', ' ');
  }
}
