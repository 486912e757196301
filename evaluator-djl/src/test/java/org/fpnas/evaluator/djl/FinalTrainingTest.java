package org.fpnas.evaluator.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fpnas.core.mbconv.FlopsCounter;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.SearchSpace;
import org.fpnas.evaluator.data.Datasets;
import org.fpnas.evaluator.data.FashionMnist;
import org.fpnas.evaluator.data.ImageData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FinalTrainingTest {
  @TempDir Path output;

  @Test
  void trainsFromScratchTestsAndSavesAModelThatLoadsBack() throws Exception {
    SearchSpace space = Fixtures.fmnist();
    ImageData data = Datasets.load(FashionMnist.NAME, null);
    Architecture a = Fixtures.random(space, 4);
    FinalTraining training =
        new FinalTraining(space, data).epochs(1).trainingImages(3000).batchSize(64).output(output);
    FinalResult result = training.train("found", a);
    FlopsCounter counter = new FlopsCounter(space);
    assertEquals(counter.count(a).parameters(), result.parameters());
    assertEquals(counter.multiplyAdds(a), result.multiplyAdds());
    assertTrue(result.testAccuracy() > 0.5, "test accuracy " + result.testAccuracy());
    try (var files = Files.list(result.modelDir())) {
      assertTrue(
          files.anyMatch(f -> f.getFileName().toString().matches("found-\\d{4}\\.params")),
          "DJL parameter file");
    }
    assertTrue(
        Files.readString(result.modelDir().resolve("architecture.json")).contains("\"s1b1\""));
    // The saved model loads into the standalone network and predicts as it did.
    try (Model model = FinalTraining.load(result.modelDir(), "found", space, a);
        NDManager manager = NDManager.newBaseManager(DjlRuntime.device())) {
      BatchMaker test = new BatchMaker(data.test(), data.train());
      int[] images = new int[500];
      for (int i = 0; i < images.length; i++) {
        images[i] = i;
      }
      DjlRuntime.disableGradients();
      Batch batch = test.make(manager, images);
      NDArray logits =
          model
              .getBlock()
              .forward(new ParameterStore(manager, false), new NDList(batch.images()), false)
              .singletonOrThrow();
      long[] predicted = logits.argMax(1).toLongArray();
      int correct = 0;
      for (int i = 0; i < predicted.length; i++) {
        correct += predicted[i] == batch.labels()[i] ? 1 : 0;
      }
      assertTrue(
          Math.abs(correct / 500.0 - result.testAccuracy()) < 0.05,
          correct + " of 500 vs " + result.testAccuracy());
    }
  }

  @Test
  void theRandomBaselineHasSimilarFlops() {
    SearchSpace space = Fixtures.fmnist();
    FinalTraining training = new FinalTraining(space, Datasets.load(FashionMnist.NAME, null));
    FlopsCounter counter = new FlopsCounter(space);
    for (long seed = 0; seed < 5; seed++) {
      Architecture target = Fixtures.random(space, 100 + seed);
      Architecture random = training.randomWithSimilarCost(target, 0.1, seed);
      assertNotEquals(target, random);
      double ratio = (double) counter.multiplyAdds(random) / counter.multiplyAdds(target);
      assertTrue(Math.abs(ratio - 1) <= 0.1, "ratio " + ratio);
    }
  }
}
