package org.fpnas.app;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.fpnas.client.SearchRequest;
import org.fpnas.core.space.SearchSpace;
import org.fpnas.evaluator.data.Datasets;
import org.fpnas.evaluator.data.ImageData;
import org.fpnas.evaluator.djl.DjlEvaluator;
import org.fpnas.evaluator.djl.DjlSettings;

/** The DJL demo's data set, read once before anything starts, so that a missing one fails first. */
final class DemoData {
  private DemoData() {}

  /**
   * Reads the data set that the request's settings and space choose and says how large it is.
   *
   * @param datasetDir where the data set is on this machine, null for its default place
   */
  static void check(SearchRequest request, Path datasetDir, PrintWriter out) {
    SearchSpace space = SearchSpace.parse(request.spaceText(), request.spaceName());
    Map<String, String> local =
        datasetDir == null ? Map.of() : Map.of(DjlEvaluator.DATA_DIR, datasetDir.toString());
    DjlSettings settings =
        DjlSettings.of(
            request.evaluatorSettings(),
            local,
            space
                .network()
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "--space "
                                + request.spaceName()
                                + " has no network section: the djl evaluator needs an MBConv"
                                + " space like the shipped fbnet-fmnist.yaml")));
    long start = System.nanoTime();
    ImageData data = Datasets.load(settings.dataset(), settings.dataDir());
    out.printf(
        Locale.ROOT,
        "Data set %s: %d training and %d test images (read in %.1f s)%n",
        data.name(),
        data.train().size(),
        data.test().size(),
        (System.nanoTime() - start) / 1e9);
    out.flush();
  }
}
