package org.fpnas.client.fold;

import org.fpnas.cluster.RecentlyUsed;
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

  private final RecentlyUsed<String, Model> cache = new RecentlyUsed<>(CAPACITY);

  /** The model of a spec; throws IllegalArgumentException naming what is wrong with it. */
  public Model of(SearchSpec spec) {
    String key = key(spec);
    Model model = cache.get(key);
    if (model == null) {
      model = parse(spec);
      cache.put(key, model);
    }
    return model;
  }

  /** Drops the model of a search that ended: nothing folds it any more. */
  public void forget(SearchSpec spec) {
    cache.remove(key(spec));
  }

  /** A search is its team's and its id's: two teams may use one id. */
  private static String key(SearchSpec spec) {
    return spec.getTeam() + "/" + spec.getSearchId();
  }

  /**
   * The most logits a distribution event carries: it holds the logits and Adam's two moments (8
   * bytes each), and must stay under Kafka's default record size of 1 MiB with room for the sample
   * ids it names.
   */
  public static final int MAX_LOGITS = 32_768;

  public static Model parse(SearchSpec spec) {
    SearchSpace space = SearchSpace.parse(spec.getSpace(), "space of search " + spec.getSearchId());
    return of(space, Hyperparameters.fromRecorded(spec.getHyperparameters()));
  }

  /**
   * The model of a space and hyperparameters, refused (IllegalArgumentException naming the problem)
   * when the update would refuse them or their distribution would not fit in an event.
   */
  public static Model of(SearchSpace space, Hyperparameters hp) {
    FpNas fpnas = new FpNas(space, hp);
    long factorized = 0;
    long joint = 0;
    for (int l = 0; l < space.layerCount(); l++) {
      for (var variable : space.layer(l).variables()) {
        factorized += variable.size();
      }
      joint = Math.min(Long.MAX_VALUE / 2, joint + space.layer(l).jointSize());
    }
    long largest = hp.mayBeJoint() ? Math.max(factorized, joint) : factorized;
    if (largest > MAX_LOGITS) {
      throw new IllegalArgumentException(
          "the distribution over space '"
              + space.name()
              + "' needs "
              + largest
              + (largest == factorized ? " factorized" : " joint")
              + " logits, more than the "
              + MAX_LOGITS
              + " a distribution event can carry: use a smaller space"
              + (largest == factorized ? "" : " or keep the search factorized"));
    }
    return new Model(space, hp, fpnas);
  }
}
