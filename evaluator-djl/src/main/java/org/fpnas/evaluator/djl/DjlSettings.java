package org.fpnas.evaluator.djl;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.fpnas.core.space.Network;
import org.fpnas.evaluator.data.Cifar10;
import org.fpnas.evaluator.data.FashionMnist;

/**
 * The DJL evaluator's settings: a search's evaluator settings over the defaults, then the evaluator
 * service's own {@code dataDir} (where the data is on that machine) over the search's.
 *
 * @param trainSteps training steps per sample (S)
 * @param batchSize images per training step
 * @param learningRate SGD step size
 * @param momentum SGD momentum (kept per parameter slice)
 * @param weightDecay L2 weight decay of convolution and classifier weights (only the used slices)
 * @param gradientClip a step's gradient is scaled down to this global norm when longer (0: off)
 * @param validationBatch images in the validation batch whose summed log-likelihood is reported
 * @param validationSize images held out of the training set for validation
 * @param warmupSteps training steps on uniformly sampled paths before the first sample (0: none)
 * @param splitSeed seed of the validation split (the same split for every search by default)
 * @param syncInterval evaluations between weight averages through the checkpoint directory
 * @param dataset {@code fashion-mnist} or {@code cifar-10}; default by the space's input channels
 * @param dataDir where the data set's files are; null for its default place
 */
public record DjlSettings(
    int trainSteps,
    int batchSize,
    double learningRate,
    double momentum,
    double weightDecay,
    double gradientClip,
    int validationBatch,
    int validationSize,
    int warmupSteps,
    long splitSeed,
    int syncInterval,
    String dataset,
    Path dataDir) {

  /** The defaults, as a settings map. */
  public static final Map<String, String> DEFAULTS = defaults();

  /** Setting names a search may give. */
  public static final List<String> NAMES = names();

  private static List<String> names() {
    List<String> names = new java.util.ArrayList<>(DEFAULTS.keySet());
    names.add("dataset");
    names.add("dataDir");
    return List.copyOf(names);
  }

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("trainSteps", "10");
    d.put("batchSize", "64");
    d.put("learningRate", "0.05");
    d.put("momentum", "0.9");
    d.put("weightDecay", "0.00004");
    d.put("gradientClip", "5");
    d.put("validationBatch", "256");
    d.put("validationSize", "10000");
    d.put("warmupSteps", "0");
    d.put("splitSeed", "0");
    d.put("syncInterval", "20");
    return java.util.Collections.unmodifiableMap(d);
  }

  /**
   * Reads the settings.
   *
   * @param search the search's evaluator settings
   * @param service the evaluator service's settings (only {@code dataDir} is read)
   * @param network the space's fixed parts (to choose the data set)
   * @throws IllegalArgumentException naming an unknown setting or a bad value
   */
  public static DjlSettings of(
      Map<String, String> search, Map<String, String> service, Network network) {
    for (String name : search.keySet()) {
      if (!NAMES.contains(name)) {
        throw new IllegalArgumentException(
            "unknown evaluator setting '"
                + name
                + "' for the djl evaluator (known: "
                + String.join(", ", new TreeSet<>(NAMES))
                + ")");
      }
    }
    Map<String, String> s = new LinkedHashMap<>(DEFAULTS);
    s.putAll(search);
    String dataset =
        search.containsKey("dataset")
            ? search.get("dataset").trim().toLowerCase(Locale.ROOT)
            : network.inputChannels() == 3 ? Cifar10.NAME : FashionMnist.NAME;
    if (!dataset.equals(FashionMnist.NAME) && !dataset.equals(Cifar10.NAME)) {
      throw new IllegalArgumentException(
          "evaluator setting dataset must be "
              + FashionMnist.NAME
              + " or "
              + Cifar10.NAME
              + ", got '"
              + dataset
              + "'");
    }
    String dir = service.containsKey("dataDir") ? service.get("dataDir") : search.get("dataDir");
    return new DjlSettings(
        positive(s, "trainSteps"),
        positive(s, "batchSize"),
        positiveDouble(s, "learningRate"),
        fraction(s, "momentum"),
        nonNegativeDouble(s, "weightDecay"),
        nonNegativeDouble(s, "gradientClip"),
        positive(s, "validationBatch"),
        positive(s, "validationSize"),
        nonNegative(s, "warmupSteps"),
        whole(s, "splitSeed"),
        positive(s, "syncInterval"),
        dataset,
        dir == null || dir.isBlank() ? null : Path.of(dir.trim()));
  }

  /** Checks a search's settings without a network (the data set is not chosen). */
  public static void validate(Map<String, String> search) {
    of(search, Map.of(), new Network(28, 28, 1, 10, 8, 1, 3, 0));
  }

  private static long whole(Map<String, String> s, String name) {
    try {
      return Long.parseLong(s.get(name).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "evaluator setting " + name + " must be a whole number, got '" + s.get(name) + "'");
    }
  }

  private static int positive(Map<String, String> s, String name) {
    long v = whole(s, name);
    if (v < 1 || v > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "evaluator setting " + name + " must be a whole number >= 1, got '" + s.get(name) + "'");
    }
    return (int) v;
  }

  private static int nonNegative(Map<String, String> s, String name) {
    long v = whole(s, name);
    if (v < 0 || v > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "evaluator setting " + name + " must be a whole number >= 0, got '" + s.get(name) + "'");
    }
    return (int) v;
  }

  private static double number(Map<String, String> s, String name) {
    try {
      double v = Double.parseDouble(s.get(name).trim());
      if (!Double.isFinite(v)) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "evaluator setting " + name + " must be a number, got '" + s.get(name) + "'");
    }
  }

  private static double positiveDouble(Map<String, String> s, String name) {
    double v = number(s, name);
    if (v <= 0) {
      throw new IllegalArgumentException(
          "evaluator setting " + name + " must be > 0, got '" + s.get(name) + "'");
    }
    return v;
  }

  private static double nonNegativeDouble(Map<String, String> s, String name) {
    double v = number(s, name);
    if (v < 0) {
      throw new IllegalArgumentException(
          "evaluator setting " + name + " must be >= 0, got '" + s.get(name) + "'");
    }
    return v;
  }

  private static double fraction(Map<String, String> s, String name) {
    double v = number(s, name);
    if (v < 0 || v >= 1) {
      throw new IllegalArgumentException(
          "evaluator setting " + name + " must be in [0, 1), got '" + s.get(name) + "'");
    }
    return v;
  }
}
