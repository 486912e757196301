package org.fpnas.evaluator.djl;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fpnas.core.settings.Range;
import org.fpnas.core.settings.Setting;
import org.fpnas.core.settings.SettingValues;
import org.fpnas.core.settings.SettingsParser;
import org.fpnas.core.space.Network;
import org.fpnas.evaluator.data.Cifar10;
import org.fpnas.evaluator.data.FashionMnist;

/**
 * The DJL evaluator's settings: a search's evaluator settings over the defaults, and where the data
 * is ({@code dataDir}) from the evaluator service's own settings only. The data directory is a path
 * on the evaluator's machine and what goes wrong there comes back to the team in a FAILED result,
 * so a search that gives it is refused: which files the pool reads is its operator's to configure.
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
 * @param uniformSteps training steps on uniformly sampled paths in every evaluation, before the
 *     sample's own {@code trainSteps} (0: none)
 * @param fixedValidation score every sample on the same validation batch (the first {@code
 *     validationBatch} images of the split) instead of one batch per iteration
 * @param splitSeed seed of the validation split (the same split for every search by default)
 * @param syncInterval evaluations between weight averages through the checkpoint directory
 * @param dataset {@code fashion-mnist} or {@code cifar-10}; default by the space's input channels
 * @param dataDir where the data set's files are (the evaluator service's setting); null for its
 *     default place
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
    int uniformSteps,
    boolean fixedValidation,
    long splitSeed,
    int syncInterval,
    String dataset,
    Path dataDir) {

  // What a search may ask of one evaluation on a shared pool, where an evaluator busy with one
  // team's
  // sample serves no other. Time grows with the images trained (steps x batch): about 50 ms per
  // step
  // of 64 images on an idle 2-core CPU (BENCHMARKS.md, "The DJL demo"), so 1,000 steps of 256 take
  // about 3.5 minutes, and a search's first evaluation, which adds the warm-up, about 10 minutes at
  // the maxima: within the evaluators' default limit of 15 minutes on one evaluation. Memory grows
  // with the batches (a step holds its batch's activations and gradients, scoring the validation
  // batch its activations): at most four times the defaults, with which an evaluator process stays
  // near 1 GB resident. validationSize only splits the data set, which bounds it; the other
  // settings
  // do not scale an evaluation.

  /** The most training steps per sample a search may set. */
  public static final int MAX_TRAIN_STEPS = 1_000;

  /** The most warm-up steps a search may set (they run in its first evaluation). */
  public static final int MAX_WARMUP_STEPS = 2_000;

  /** The most images per training step a search may set. */
  public static final int MAX_BATCH_SIZE = 256;

  /** The most images in the validation batch a search may set. */
  public static final int MAX_VALIDATION_BATCH = 1_024;

  private static final Setting<Integer> TRAIN_STEPS =
      Setting.integer("trainSteps", 10, 1, MAX_TRAIN_STEPS);
  private static final Setting<Integer> BATCH_SIZE =
      Setting.integer("batchSize", 64, 1, MAX_BATCH_SIZE);
  private static final Setting<Double> LEARNING_RATE =
      Setting.number("learningRate", "0.05", Range.above(0));
  private static final Setting<Double> MOMENTUM =
      Setting.number("momentum", "0.9", Range.from(0, 1));
  private static final Setting<Double> WEIGHT_DECAY =
      Setting.number("weightDecay", "0.00004", Range.atLeast(0));
  private static final Setting<Double> GRADIENT_CLIP =
      Setting.number("gradientClip", "5", Range.atLeast(0)).allowed("a number >= 0 (0: off)");
  private static final Setting<Integer> VALIDATION_BATCH =
      Setting.integer("validationBatch", 256, 1, MAX_VALIDATION_BATCH);
  private static final Setting<Integer> VALIDATION_SIZE = positive("validationSize", 10_000);
  private static final Setting<Integer> WARMUP_STEPS =
      Setting.integer("warmupSteps", 0, 0, MAX_WARMUP_STEPS);
  private static final Setting<Integer> UNIFORM_STEPS =
      Setting.integer("uniformSteps", 0, 0, MAX_TRAIN_STEPS);
  private static final Setting<Boolean> FIXED_VALIDATION = Setting.bool("fixedValidation", false);
  private static final Setting<Long> SPLIT_SEED =
      Setting.whole("splitSeed", 0, Long.MIN_VALUE, Long.MAX_VALUE);
  private static final Setting<Integer> SYNC_INTERVAL = positive("syncInterval", 20);
  private static final Setting<String> DATASET =
      Setting.choice("dataset", "", List.of(FashionMnist.NAME, Cifar10.NAME))
          .optional()
          .allowed(FashionMnist.NAME + " or " + Cifar10.NAME + " (empty: by the space's input)");

  private static final SettingsParser PARSER =
      SettingsParser.of(
          "djl evaluator setting",
          TRAIN_STEPS,
          BATCH_SIZE,
          LEARNING_RATE,
          MOMENTUM,
          WEIGHT_DECAY,
          GRADIENT_CLIP,
          VALIDATION_BATCH,
          VALIDATION_SIZE,
          WARMUP_STEPS,
          UNIFORM_STEPS,
          FIXED_VALIDATION,
          SPLIT_SEED,
          SYNC_INTERVAL,
          DATASET);

  /** Setting names a search may give. */
  public static final List<String> NAMES = PARSER.names();

  private static Setting<Integer> positive(String name, int defaultValue) {
    return Setting.integer(name, defaultValue, 1, Integer.MAX_VALUE);
  }

  /**
   * Reads the settings.
   *
   * @param search the search's evaluator settings
   * @param service the evaluator service's settings (only {@link DjlEvaluator#DATA_DIR} is read)
   * @param network the space's fixed parts (to choose the data set)
   * @throws IllegalArgumentException naming an unknown setting, a bad value, or a data directory
   *     that the search gives (without echoing it)
   */
  public static DjlSettings of(
      Map<String, String> search, Map<String, String> service, Network network) {
    if (search.containsKey(DjlEvaluator.DATA_DIR)) {
      throw new IllegalArgumentException(
          "evaluator setting "
              + DjlEvaluator.DATA_DIR
              + " is not a search's: where the data is on the evaluators' machines is the"
              + " evaluator operator's to configure (fpnas evaluator --data-dir DIR)");
    }
    Map<String, String> given = new LinkedHashMap<>(search);
    // The data set's name in any case.
    given.computeIfPresent("dataset", (k, v) -> v.toLowerCase(Locale.ROOT));
    PARSER.requireKnown(search.keySet());
    SettingValues v = PARSER.parse(given);
    String dataset = v.get(DATASET);
    if (dataset == null) {
      dataset = network.inputChannels() == 3 ? Cifar10.NAME : FashionMnist.NAME;
    }
    String dir = service.get(DjlEvaluator.DATA_DIR);
    return new DjlSettings(
        v.get(TRAIN_STEPS),
        v.get(BATCH_SIZE),
        v.get(LEARNING_RATE),
        v.get(MOMENTUM),
        v.get(WEIGHT_DECAY),
        v.get(GRADIENT_CLIP),
        v.get(VALIDATION_BATCH),
        v.get(VALIDATION_SIZE),
        v.get(WARMUP_STEPS),
        v.get(UNIFORM_STEPS),
        v.get(FIXED_VALIDATION),
        v.get(SPLIT_SEED),
        v.get(SYNC_INTERVAL),
        dataset,
        dir == null || dir.isBlank() ? null : Path.of(dir.strip()));
  }

  /** Checks a search's settings without a network (the data set is not chosen). */
  public static void validate(Map<String, String> search) {
    of(search, Map.of(), new Network(28, 28, 1, 10, 8, 1, 3, 0));
  }
}
