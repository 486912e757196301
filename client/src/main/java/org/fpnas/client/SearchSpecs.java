package org.fpnas.client;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.fpnas.client.fold.SearchModels;
import org.fpnas.client.history.SearchLog;
import org.fpnas.core.FpNas;
import org.fpnas.core.Hyperparameters;
import org.fpnas.core.landscape.Landscape;
import org.fpnas.core.space.SearchSpace;
import org.fpnas.evaluator.api.EvaluatorProviders;
import org.fpnas.schemas.Topics;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.SearchSpec;

/**
 * Turns a request into a validated spec: every problem is found here, before anything is published.
 */
public final class SearchSpecs {
  private static final Pattern SEARCH_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  /**
   * The evaluator service's setting of where its data is (the DJL evaluator's {@code dataDir}),
   * never a search's: the evaluators read it on their own machines and report failures back to the
   * team, so a team could make the pool read files of its host.
   */
  private static final String DATA_DIR = "dataDir";

  private SearchSpecs() {}

  /**
   * Refuses a search id that is not 1-64 letters, digits, '.', '-' or '_' (so it never holds the
   * '/' that sample ids and the aggregator's keys put after it).
   */
  public static void checkSearchId(String id) {
    if (id == null || !SEARCH_ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "invalid search id '" + id + "': use 1-64 letters, digits, '.', '-' or '_'");
    }
  }

  /**
   * The spec of a request, with every hyperparameter resolved; IllegalArgumentException names the
   * problem.
   */
  public static SearchSpec validate(SearchRequest request, long nowMs) {
    Topics.validTeam(request.team());
    String id = request.searchId() == null ? newId() : request.searchId();
    checkSearchId(id);
    SearchSpace space = SearchSpace.parse(request.spaceText(), request.spaceName());
    Hyperparameters hp = Hyperparameters.fromMap(request.settings());
    // Refuses now what the pipeline would refuse later (a space too large for its joint phase or
    // for a distribution event).
    SearchModels.of(space, hp);
    String landscape = null;
    if (request.landscapeText() != null) {
      Landscape.parse(request.landscapeText(), "landscape", space);
      // The text as given: evaluators parse exactly what the user's file said.
      landscape = request.landscapeText();
    } else if ("benchmark".equals(request.evaluator())) {
      throw new IllegalArgumentException(
          "the benchmark evaluator needs a landscape file (--landscape FILE)");
    }
    Map<String, String> evaluatorSettings = new LinkedHashMap<>(request.evaluatorSettings());
    if (evaluatorSettings.containsKey(DATA_DIR)) {
      throw new IllegalArgumentException(
          "evaluator setting "
              + DATA_DIR
              + " is not a search's: where the data is on the evaluators' machines is the"
              + " evaluator operator's to configure (fpnas evaluator --data-dir DIR)");
    }
    if (TabularSearches.KIND.equals(request.evaluator())) {
      TabularSearches.validate(space, evaluatorSettings, landscape);
    }
    // The kind's own checks, with its bounds on what one evaluation may take of the shared pool,
    // where the kind is on this class path (the fpnas jar has the built-in ones); the evaluators
    // check again.
    EvaluatorProviders.validateSearchSettings(request.evaluator(), evaluatorSettings);
    return SearchSpec.newBuilder()
        .setSearchId(id)
        .setTeam(request.team())
        .setSpaceName(request.spaceName())
        .setSpace(space.toJson())
        .setHyperparameters(hp.toMap())
        .setSeed(hp.seed())
        .setEvaluator(request.evaluator())
        .setEvaluatorSettings(evaluatorSettings)
        .setLandscape(landscape)
        .setParentSearchId(null)
        .setForkIteration(null)
        .setCancelled(false)
        .setSubmittedAtMs(nowMs)
        .build();
  }

  /**
   * The request to stop a search where it is: its spec again, marked cancelled. The aggregator
   * publishes the search's final distribution (stop reason {@code cancelled}) and the dispatcher
   * frees its slots.
   *
   * @throws IllegalArgumentException when the search has already ended
   */
  public static SearchSpec cancellation(SearchLog search) {
    String state = search.state();
    if (state.equals("done") || state.equals("cancelled")) {
      throw new IllegalArgumentException(
          "search " + search.spec().getSearchId() + " has already ended (" + state + ")");
    }
    return SearchSpec.newBuilder(search.spec()).setCancelled(true).build();
  }

  /**
   * A new search that starts from the distribution (and Adam state) of iteration {@code t} of a
   * recorded one, with the parent's settings and the given overrides. With no overrides it
   * continues exactly as the parent did: same seed, same samples, same updates.
   */
  public static SearchSpec fork(
      SearchLog parent, int t, Map<String, String> overrides, String newId, long nowMs) {
    SearchSpec p = parent.spec();
    DistributionUpdate start =
        parent.updates().stream()
            .filter(u -> u.getIteration() == t)
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "search "
                            + p.getSearchId()
                            + " has no distribution of iteration "
                            + t
                            + " (it has 0.."
                            + (parent.latest() == null ? -1 : parent.latest().getIteration())
                            + ")"));
    Hyperparameters hp = Hyperparameters.fromRecorded(p.getHyperparameters());
    for (var e : overrides.entrySet()) {
      hp = hp.with(e.getKey(), e.getValue());
    }
    new FpNas(SearchSpace.parse(p.getSpace(), "space of search " + p.getSearchId()), hp);
    // A fork runs on the pool like any search: its (the parent's) evaluator settings are checked
    // as at submit.
    EvaluatorProviders.validateSearchSettings(p.getEvaluator(), p.getEvaluatorSettings());
    if (t >= hp.maxIterations()) {
      throw new IllegalArgumentException(
          "fork from iteration "
              + t
              + " needs maxIterations above "
              + t
              + " (it is "
              + hp.maxIterations()
              + "); add --set maxIterations=N");
    }
    String id = newId == null ? newId() : newId;
    checkSearchId(id);
    DistributionUpdate startFrom =
        DistributionUpdate.newBuilder(start)
            .setSearchId(id)
            .setDone(false)
            .setStopReason(null)
            .build();
    return SearchSpec.newBuilder(p)
        .setSearchId(id)
        .setHyperparameters(hp.toMap())
        .setSeed(hp.seed())
        .setParentSearchId(p.getSearchId())
        .setForkIteration(t)
        .setStartFrom(startFrom)
        .setCancelled(false)
        .setSubmittedAtMs(nowMs)
        .build();
  }

  private static String newId() {
    return "s-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }
}
