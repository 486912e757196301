package org.fpnas.client.fold;

import java.util.LinkedHashMap;
import java.util.Map;
import org.fpnas.core.FpNas;
import org.fpnas.core.Hyperparameters;
import org.fpnas.core.space.SearchSpace;
import org.fpnas.schemas.avro.SearchSpec;

/**
 * The parsed space, hyperparameters and update rule of each search. Derived from the spec alone, so
 * the cache holds nothing that a restart could lose.
 */
public final class SearchModels {
  /** The core objects of one search. */
  public record Model(SearchSpace space, Hyperparameters hyperparameters, FpNas fpnas) {}

  private static final int CAPACITY = 1024;

  private final Map<String, Model> cache =
      new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Model> eldest) {
          return size() > CAPACITY;
        }
      };

  /** The model of a spec; throws IllegalArgumentException naming what is wrong with it. */
  public Model of(SearchSpec spec) {
    Model model = cache.get(spec.getSearchId());
    if (model == null) {
      model = parse(spec);
      cache.put(spec.getSearchId(), model);
    }
    return model;
  }

  public static Model parse(SearchSpec spec) {
    SearchSpace space = SearchSpace.parse(spec.getSpace(), "space of search " + spec.getSearchId());
    Hyperparameters hp = Hyperparameters.fromRecorded(spec.getHyperparameters());
    return new Model(space, hp, new FpNas(space, hp));
  }
}
