package org.fpnas.bench;

import java.util.Map;
import org.fpnas.client.SearchRequest;
import org.fpnas.client.SearchSpecs;
import org.fpnas.core.Hyperparameters;
import org.fpnas.core.InProcessSearch;
import org.fpnas.core.Scorer;
import org.fpnas.core.SearchResult;
import org.fpnas.core.landscape.Landscape;
import org.fpnas.core.space.SearchSpace;
import org.fpnas.schemas.avro.SearchSpec;

/**
 * A search of the shipped example space and landscape for the benchmark evaluator, as a spec, and
 * the same search run by the in-process reference loop from that spec (so both see exactly the same
 * space, landscape and settings).
 */
public final class ExampleSearch {
  public static final String SPACE = "small-space.yaml";
  public static final String LANDSCAPE = "small-landscape.yaml";

  private ExampleSearch() {}

  /**
   * A validated spec of the example search; {@code simulatedMs} is the benchmark evaluator's sleep
   * per sample.
   */
  public static SearchSpec spec(
      String team, String id, Map<String, String> settings, long simulatedMs) {
    SearchRequest request =
        new SearchRequest(SPACE, SyntheticSpaces.example(SPACE))
            .landscape(SyntheticSpaces.example(LANDSCAPE))
            .team(team)
            .searchId(id)
            .setAll(settings)
            .evaluator("benchmark")
            .evaluatorSetting("simulatedMs", Long.toString(simulatedMs));
    return SearchSpecs.validate(request, System.currentTimeMillis());
  }

  /** The spec's space. */
  public static SearchSpace space(SearchSpec spec) {
    return SearchSpace.parse(spec.getSpace(), "space of " + spec.getSearchId());
  }

  /** The spec's landscape. */
  public static Landscape landscape(SearchSpec spec) {
    return Landscape.parse(spec.getLandscape(), "landscape of " + spec.getSearchId(), space(spec));
  }

  /**
   * The spec's search in the in-process loop, one evaluation at a time, each sleeping {@code
   * simulatedMs} as the benchmark evaluator does: the pipeline with one evaluator and no control
   * overhead.
   */
  public static SearchResult inProcess(SearchSpec spec, long simulatedMs) {
    Scorer landscape = landscape(spec).asScorer();
    Scorer sleeping =
        (iteration, index, architecture) -> {
          sleep(simulatedMs);
          return landscape.score(iteration, index, architecture);
        };
    return new InProcessSearch(
            space(spec), Hyperparameters.fromMap(spec.getHyperparameters()), sleeping)
        .run();
  }

  private static void sleep(long ms) {
    if (ms <= 0) {
      return;
    }
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during a simulated evaluation", e);
    }
  }
}
