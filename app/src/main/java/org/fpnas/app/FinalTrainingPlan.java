package org.fpnas.app;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.SearchSpace;
import org.fpnas.evaluator.data.Datasets;
import org.fpnas.evaluator.data.ImageData;
import org.fpnas.evaluator.djl.DjlEvaluator;
import org.fpnas.evaluator.djl.DjlSettings;
import org.fpnas.evaluator.djl.FinalResult;
import org.fpnas.evaluator.djl.FinalTraining;
import org.fpnas.schemas.avro.SearchSpec;

/**
 * How to train a search's final architecture from scratch, shared by {@code train-final} and the
 * end of {@code demo}: checks its numbers when built, then trains the found architecture and a
 * random one of similar FLOPs and prints the comparison.
 *
 * @param epochs passes over the training images
 * @param batchSize images per step
 * @param learningRate peak learning rate of the cosine schedule
 * @param seed seed of the weights, the batches and the random baseline
 * @param trainingImages train on only the first N training images; 0: all
 * @param datasetDir where the data set is on this machine; null: the data set's default place
 * @param output where the two models are saved (a directory per search)
 */
record FinalTrainingPlan(
    int epochs,
    int batchSize,
    double learningRate,
    long seed,
    int trainingImages,
    Path datasetDir,
    Path output) {
  FinalTrainingPlan {
    if (epochs < 1) {
      throw new IllegalArgumentException(
          "epochs of the final training must be at least 1, got " + epochs);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException(
          "batch size of the final training must be at least 1, got " + batchSize);
    }
    if (trainingImages < 0) {
      throw new IllegalArgumentException(
          "training images of the final training must be >= 0, got " + trainingImages);
    }
    if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
      throw new IllegalArgumentException(
          "learning rate of the final training must be > 0, got " + learningRate);
    }
  }

  /** Trains the found architecture and the random baseline, printing progress and the table. */
  FinalTraining.Comparison run(SearchSpec search, Architecture found, PrintWriter out) {
    SearchSpace space =
        SearchSpace.parse(search.getSpace(), "space of search " + search.getSearchId());
    Map<String, String> local = new LinkedHashMap<>();
    if (datasetDir != null) {
      local.put(DjlEvaluator.DATA_DIR, datasetDir.toString());
    }
    // A spec written past submit's checks may carry a dataDir: where the data is, is this
    // machine's to say, not the spec's.
    Map<String, String> given = new LinkedHashMap<>(search.getEvaluatorSettings());
    given.remove(DjlEvaluator.DATA_DIR);
    DjlSettings settings =
        DjlSettings.of(
            given,
            local,
            space
                .network()
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "space of search "
                                + search.getSearchId()
                                + " has no network section:"
                                + " only MBConv spaces can be trained")));
    ImageData data = Datasets.load(settings.dataset(), settings.dataDir());
    out.println(
        "Training "
            + found
            + " and a random architecture of similar FLOPs for "
            + epochs
            + " epoch(s) on "
            + data.name()
            + (trainingImages > 0 ? " (first " + trainingImages + " training images)" : "")
            + " ...");
    out.flush();
    FinalTraining.Comparison result =
        new FinalTraining(space, data)
            .epochs(epochs)
            .batchSize(batchSize)
            .learningRate(learningRate)
            .seed(seed)
            .trainingImages(trainingImages)
            .output(output.resolve(search.getSearchId()))
            .progress(
                line -> {
                  out.println("  " + line);
                  out.flush();
                })
            .compare(found);
    out.print(result.table(space));
    out.flush();
    return result;
  }

  /** The comparison as JSON, for result files. */
  static ObjectNode toJson(FinalTraining.Comparison comparison) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.set("found", toJson(comparison.found()));
    node.set("random", toJson(comparison.random()));
    return node;
  }

  private static ObjectNode toJson(FinalResult r) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("architecture", r.architecture().toString());
    node.put("testAccuracy", r.testAccuracy());
    node.put("testLoss", r.testLoss());
    node.put("multiplyAdds", r.multiplyAdds());
    node.put("parameters", r.parameters());
    node.put("epochs", r.epochs());
    node.put("trainSeconds", r.trainSeconds());
    if (r.modelDir() != null) {
      node.put("modelDir", r.modelDir().toString());
    }
    return node;
  }
}
