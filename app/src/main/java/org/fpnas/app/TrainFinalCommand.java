package org.fpnas.app;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.fpnas.client.history.SearchLog;
import org.fpnas.client.wire.WireConversions;
import org.fpnas.schemas.avro.DistributionUpdate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code fpnas train-final}: trains a search's final architecture from scratch and reports its test
 * accuracy, FLOPs and parameters next to a random architecture of similar FLOPs.
 */
@Command(
    name = "train-final",
    mixinStandardHelpOptions = true,
    description =
        "Train a search's final architecture from scratch and test it, next to a uniformly random"
            + " architecture of similar FLOPs trained the same way; save both models with DJL.")
final class TrainFinalCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin ClusterOptions cluster;

  @Mixin SearchSelection search;

  @Option(
      names = "--epochs",
      description = "Epochs over the training images (default: ${DEFAULT-VALUE}).",
      defaultValue = "2")
  int epochs;

  @Option(
      names = "--batch-size",
      description = "Images per step (default: ${DEFAULT-VALUE}).",
      defaultValue = "128")
  int batchSize;

  @Option(
      names = "--learning-rate",
      description = "Peak learning rate, cosine schedule (default: ${DEFAULT-VALUE}).",
      defaultValue = "0.1")
  double learningRate;

  @Option(
      names = "--seed",
      description = "Seed of the weights, batches and random baseline (default: ${DEFAULT-VALUE}).",
      defaultValue = "0")
  long seed;

  @Option(
      names = "--training-images",
      description =
          "Train on only the first N training images, for a quick check" + " (default: all).",
      defaultValue = "0")
  int trainingImages;

  @Option(
      names = "--data-dir",
      description =
          "Where the data set is on this machine (default: the data set's default place).")
  Path dataDir;

  @Option(
      names = "--output",
      description = "Where to save the two models (default: ${DEFAULT-VALUE}).",
      defaultValue = "${sys:user.home}/.fpnas/models")
  Path output;

  @Parameters(paramLabel = "SEARCH", description = "The search id.")
  String searchId;

  @Override
  public void run() {
    FinalTrainingPlan plan = plan(); // bad options fail before the broker is asked
    SearchLog log = search.load(cluster, searchId, false);
    DistributionUpdate last = log.latest();
    if (last == null) {
      throw new IllegalArgumentException(
          "search " + searchId + " has no distribution yet: nothing to train");
    }
    PrintWriter out = spec.commandLine().getOut();
    if (!last.getDone()) {
      out.println(
          "Search "
              + searchId
              + " is "
              + log.state()
              + "; training the mode of iteration "
              + last.getIteration());
    }
    plan.run(log.spec(), WireConversions.architecture(last.getMode()), out);
  }

  /** The training these options ask for. */
  FinalTrainingPlan plan() {
    return new FinalTrainingPlan(
        epochs, batchSize, learningRate, seed, trainingImages, dataDir, output);
  }
}
