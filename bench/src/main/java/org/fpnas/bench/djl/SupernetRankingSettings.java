package org.fpnas.bench.djl;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fpnas.core.settings.Setting;
import org.fpnas.core.settings.SettingValues;
import org.fpnas.core.settings.SettingsParser;
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
 * @param stratified draw the uniform architectures one from each of as many equal-count FLOPs
 *     strata of the space, rather than plain uniform draws
 * @param reseeded train this many of the architectures (spread over the list) a second time with
 *     the next seed, for the ground truth's own seed-to-seed agreement
 * @param similar train this many uniformly random architectures within 10% of the mode's FLOPs, to
 *     place the search's answer among them
 * @param groundTruth a file of from-scratch results to reuse and extend (the training is
 *     deterministic); empty: none
 */
public record SupernetRankingSettings(
    int architectures,
    int fromDistribution,
    long seed,
    int iterations,
    int epochs,
    int trainingImages,
    int scoreBatches,
    boolean stratified,
    int reseeded,
    int similar,
    String groundTruth) {
  private static final Setting<Integer> ARCHITECTURES =
      Setting.integer("architectures", 24, 3, Integer.MAX_VALUE)
          .allowed("a whole number >= 3 (a rank correlation needs them)");
  private static final Setting<Integer> FROM_DISTRIBUTION =
      Setting.integer("fromDistribution", 8, 0, Integer.MAX_VALUE)
          .allowed("a whole number between 0 and architectures");
  private static final Setting<Long> SEED =
      Setting.whole("seed", 0, Long.MIN_VALUE, Long.MAX_VALUE);
  private static final Setting<Integer> ITERATIONS =
      Setting.integer(
          "iterations", DjlDemoSettings.HYPERPARAMETERS.get("maxIterations"), 1, Integer.MAX_VALUE);
  private static final Setting<Integer> EPOCHS =
      Setting.integer("epochs", DjlDemoSettings.FINAL_EPOCHS, 1, Integer.MAX_VALUE);
  private static final Setting<Integer> TRAINING_IMAGES =
      Setting.integer("trainingImages", 15_000, 0, Integer.MAX_VALUE)
          .allowed("a whole number >= 0 (0: all)");
  private static final Setting<Integer> SCORE_BATCHES =
      Setting.integer("scoreBatches", 10, 0, Integer.MAX_VALUE)
          .allowed("a whole number >= 0 (0: all)");

  private static final Setting<Boolean> STRATIFIED = Setting.bool("stratified", true);
  private static final Setting<Integer> RESEEDED =
      Setting.integer("reseeded", 6, 0, Integer.MAX_VALUE)
          .allowed("a whole number between 0 and architectures");
  private static final Setting<Integer> SIMILAR =
      Setting.integer("similar", 8, 0, Integer.MAX_VALUE);
  private static final Setting<String> GROUND_TRUTH =
      Setting.text("groundTruth", "").optional().allowed("a file name (empty: none)");

  private static final SettingsParser PARSER =
      SettingsParser.of(
          "supernet-ranking setting",
          ARCHITECTURES,
          FROM_DISTRIBUTION,
          SEED,
          ITERATIONS,
          EPOCHS,
          TRAINING_IMAGES,
          SCORE_BATCHES,
          STRATIFIED,
          RESEEDED,
          SIMILAR,
          GROUND_TRUTH);

  /** The names {@link #parse} takes. */
  public static final List<String> NAMES = PARSER.names();

  /** Checks the numbers, naming the first that does not fit. */
  public SupernetRankingSettings {
    PARSER.require(ARCHITECTURES, architectures);
    PARSER.require(FROM_DISTRIBUTION, fromDistribution);
    if (fromDistribution > architectures) {
      throw PARSER.invalid(
          "fromDistribution",
          "between 0 and architectures (" + architectures + ")",
          fromDistribution);
    }
    PARSER.require(ITERATIONS, iterations);
    PARSER.require(EPOCHS, epochs);
    PARSER.require(TRAINING_IMAGES, trainingImages);
    PARSER.require(SCORE_BATCHES, scoreBatches);
    PARSER.require(RESEEDED, reseeded);
    if (reseeded > architectures) {
      throw PARSER.invalid(
          "reseeded", "between 0 and architectures (" + architectures + ")", reseeded);
    }
    PARSER.require(SIMILAR, similar);
    groundTruth = groundTruth == null ? "" : groundTruth.strip();
  }

  /**
   * The defaults: 24 architectures, 8 from the final distribution and 16 FLOPs-stratified uniform
   * ones; the demo's search; a quarter of the demo's final-training schedule (15,000 of the 60,000
   * training images, one pass); 6 of them retrained with a second seed and 8 random ones of the
   * mode's FLOPs, 38 trainings in all; supernet scores on 10 validation batches (2,560 of the
   * 10,000 held-out images at the demo's batch of 256).
   */
  public static SupernetRankingSettings defaults() {
    return parse(Map.of());
  }

  /**
   * The defaults with the given settings replaced.
   *
   * @throws IllegalArgumentException naming an unknown setting (and listing the known ones), a
   *     value that is not a whole number, or a number out of its range
   */
  public static SupernetRankingSettings parse(Map<String, String> given) {
    SettingValues v = PARSER.parse(given);
    return new SupernetRankingSettings(
        v.get(ARCHITECTURES),
        v.get(FROM_DISTRIBUTION),
        v.get(SEED),
        v.get(ITERATIONS),
        v.get(EPOCHS),
        v.get(TRAINING_IMAGES),
        v.get(SCORE_BATCHES),
        v.get(STRATIFIED),
        v.get(RESEEDED),
        v.get(SIMILAR),
        v.get(GROUND_TRUTH));
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
            + (stratified ? " FLOPs-stratified" : "")
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
            + "; tested on the 10,000 test images"
            + (reseeded > 0 ? "; " + reseeded + " retrained with seed " + (seed + 1) : "")
            + (similar > 0 ? "; " + similar + " random ones within 10% of the mode's FLOPs" : ""));
    out.put(
        "supernet score",
        "mean log-likelihood per image (and accuracy) under batch statistics on "
            + (scoreBatches == 0 ? "every full" : "the first " + scoreBatches)
            + " validation batch(es) of the held-out split, no training");
    return out;
  }
}
