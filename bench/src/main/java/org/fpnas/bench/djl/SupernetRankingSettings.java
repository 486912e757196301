package org.fpnas.bench.djl;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fpnas.evaluator.djl.DjlDemoSettings;

/**
 * The settings of {@code supernet-ranking} ({@code fpnas bench --ranking-set NAME=VALUE}).
 *
 * @param architectures how many architectures are scored and trained from scratch
 * @param fromDistribution how many of them come from the search's final distribution (its mode
 *     first, then distinct draws); the rest are drawn uniformly from the space
 * @param seed seed of the draws, of the from-scratch weights and of their batch order
 * @param iterations iterations of the demo search that trains the supernet
 * @param epochs epochs of each from-scratch training
 * @param trainingImages train from scratch on the first N training images only; 0: all
 * @param scoreBatches score with the supernet on the first N full validation batches of the
 *     held-out split; 0: all of them
 */
public record SupernetRankingSettings(
    int architectures,
    int fromDistribution,
    long seed,
    int iterations,
    int epochs,
    int trainingImages,
    int scoreBatches) {
  /** The names {@link #parse} takes. */
  public static final List<String> NAMES =
      List.of(
          "architectures",
          "fromDistribution",
          "seed",
          "iterations",
          "epochs",
          "trainingImages",
          "scoreBatches");

  /** Checks the numbers, naming the first that does not fit. */
  public SupernetRankingSettings {
    if (architectures < 3) {
      throw new IllegalArgumentException(
          "supernet-ranking: architectures must be at least 3 (a rank correlation needs them), got "
              + architectures);
    }
    if (fromDistribution < 0 || fromDistribution > architectures) {
      throw new IllegalArgumentException(
          "supernet-ranking: fromDistribution must be between 0 and architectures ("
              + architectures
              + "), got "
              + fromDistribution);
    }
    if (iterations < 1) {
      throw new IllegalArgumentException(
          "supernet-ranking: iterations must be at least 1, got " + iterations);
    }
    if (epochs < 1) {
      throw new IllegalArgumentException(
          "supernet-ranking: epochs must be at least 1, got " + epochs);
    }
    if (trainingImages < 0) {
      throw new IllegalArgumentException(
          "supernet-ranking: trainingImages must be >= 0 (0: all), got " + trainingImages);
    }
    if (scoreBatches < 0) {
      throw new IllegalArgumentException(
          "supernet-ranking: scoreBatches must be >= 0 (0: all), got " + scoreBatches);
    }
  }

  /**
   * The defaults: 16 architectures, half from the final distribution; the demo's search; a quarter
   * of the demo's final-training schedule (15,000 of the 60,000 training images, one pass), so that
   * the 16 trainings fit in about 15 minutes on 2 shared cores; supernet scores on 10 validation
   * batches (2,560 of the 10,000 held-out images at the demo's batch of 256).
   */
  public static SupernetRankingSettings defaults() {
    return new SupernetRankingSettings(
        16,
        8,
        0,
        Integer.parseInt(DjlDemoSettings.HYPERPARAMETERS.get("maxIterations")),
        DjlDemoSettings.FINAL_EPOCHS,
        15_000,
        10);
  }

  /**
   * The defaults with the given settings replaced.
   *
   * @throws IllegalArgumentException naming an unknown setting (and listing the known ones), a
   *     value that is not a whole number, or a number out of its range
   */
  public static SupernetRankingSettings parse(Map<String, String> given) {
    SupernetRankingSettings d = defaults();
    Map<String, String> values = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : given.entrySet()) {
      if (!NAMES.contains(e.getKey())) {
        throw new IllegalArgumentException(
            "supernet-ranking: unknown setting '"
                + e.getKey()
                + "' (known: "
                + String.join(", ", NAMES)
                + ")");
      }
      values.put(e.getKey(), e.getValue());
    }
    return new SupernetRankingSettings(
        (int) number(values, "architectures", d.architectures()),
        (int) number(values, "fromDistribution", d.fromDistribution()),
        number(values, "seed", d.seed()),
        (int) number(values, "iterations", d.iterations()),
        (int) number(values, "epochs", d.epochs()),
        (int) number(values, "trainingImages", d.trainingImages()),
        (int) number(values, "scoreBatches", d.scoreBatches()));
  }

  private static long number(Map<String, String> values, String name, long fallback) {
    String text = values.get(name);
    if (text == null) {
      return fallback;
    }
    try {
      long v = Long.parseLong(text.trim());
      if (!name.equals("seed") && (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE)) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "supernet-ranking: " + name + " must be a whole number, got '" + text + "'");
    }
  }

  /** The settings as a table's settings rows. */
  Map<String, String> describe() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put(
        "architectures",
        architectures
            + " ("
            + (fromDistribution > 0
                ? "the final distribution's mode and "
                    + (fromDistribution - 1)
                    + " distinct draw(s)"
                : "none from the final distribution")
            + ", "
            + (architectures - fromDistribution)
            + " uniform draw(s) from the space, seed "
            + seed
            + ")");
    out.put(
        "from scratch",
        epochs
            + " epoch(s) over "
            + (trainingImages == 0 ? "all" : "the first " + trainingImages)
            + " training images, batch "
            + DjlDemoSettings.FINAL_BATCH_SIZE
            + ", SGD momentum 0.9, cosine learning rate from "
            + DjlDemoSettings.FINAL_LEARNING_RATE
            + " (the demo's final training), weight seed "
            + seed
            + "; tested on the 10,000 test images");
    out.put(
        "supernet score",
        "mean log-likelihood per image (and accuracy) under batch statistics on "
            + (scoreBatches == 0 ? "every full" : "the first " + scoreBatches)
            + " validation batch(es) of the held-out split, no training");
    return out;
  }
}
