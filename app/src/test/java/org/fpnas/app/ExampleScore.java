package org.fpnas.app;

import java.util.List;
import org.fpnas.core.Hyperparameters;
import org.fpnas.core.InProcessSearch;
import org.fpnas.core.Scorer;
import org.fpnas.core.SearchState;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.SearchSpace;
import org.fpnas.schemas.avro.SearchSpec;

/**
 * The score that the example evaluators of {@code examples/} document (Python and Node.js alike),
 * in Java, and the in-process search that uses it: what a search evaluated by an example must
 * reproduce bit for bit.
 */
final class ExampleScore {
  private ExampleScore() {}

  /** -0.5 Σ (choices[l][m] - (l + m) mod 2)² and Σ choices[l][m], both sums of integers. */
  static Scorer.Score score(Architecture a) {
    long squares = 0;
    long total = 0;
    int[][] c = a.choices();
    for (int l = 0; l < c.length; l++) {
      for (int m = 0; m < c[l].length; m++) {
        long d = c[l][m] - (l + m) % 2;
        squares += d * d;
        total += c[l][m];
      }
    }
    return new Scorer.Score(-0.5 * squares, (double) total);
  }

  /** Every state of the spec's search with this score, the initial one first. */
  static List<SearchState> reference(SearchSpec spec) {
    SearchSpace space = SearchSpace.parse(spec.getSpace(), "space");
    return new InProcessSearch(
            space,
            Hyperparameters.fromMap(spec.getHyperparameters()),
            (iteration, index, a) -> score(a))
        .trajectory();
  }
}
