package org.fpnas.controller;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fpnas.client.SearchRequest;
import org.fpnas.client.SearchSpecs;
import org.fpnas.client.wire.WireConversions;
import org.fpnas.core.Distribution;
import org.fpnas.core.Hyperparameters;
import org.fpnas.core.InProcessSearch;
import org.fpnas.core.Sampler;
import org.fpnas.core.SearchState;
import org.fpnas.core.landscape.Landscape;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.Layer;
import org.fpnas.core.space.SearchSpace;
import org.fpnas.core.space.Variable;
import org.fpnas.schemas.SampleIds;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.EvaluationResult;
import org.fpnas.schemas.avro.ResultStatus;
import org.fpnas.schemas.avro.SearchSpec;

/** A small space, a landscape on it, and the in-process reference search, shared by the tests. */
public final class Fixtures {
  public static final SearchSpace SPACE =
      SearchSpace.of(
          "test",
          List.of(
              new Layer(
                  "a",
                  List.of(
                      new Variable("k", List.of("3", "5", "7")),
                      new Variable("e", List.of("1", "6")))),
              new Layer(
                  "b",
                  List.of(
                      new Variable("k", List.of("3", "5")),
                      new Variable("act", List.of("relu", "hswish", "tanh")))),
              new Layer(
                  "c",
                  List.of(
                      new Variable("k", List.of("3", "5", "7")),
                      new Variable("e", List.of("1", "3", "6"))))));
  public static final Landscape LANDSCAPE = Landscape.random(SPACE, 11, 0.3, 0.5);

  private Fixtures() {}

  public static SearchRequest request(String id, Map<String, String> settings) {
    return new SearchRequest("test-space.yaml", SPACE.toYaml())
        .searchId(id)
        .landscape(LANDSCAPE.toYaml())
        .setAll(settings);
  }

  public static SearchSpec spec(String id, Map<String, String> settings) {
    return SearchSpecs.validate(request(id, settings), 1L);
  }

  /** Every state of the spec's in-process search, the initial one first. */
  public static List<SearchState> reference(SearchSpec spec) {
    Hyperparameters hp = Hyperparameters.fromMap(spec.getHyperparameters());
    SearchSpace space = SearchSpace.parse(spec.getSpace(), "space");
    Landscape landscape = Landscape.parse(spec.getLandscape(), "landscape", space);
    return new InProcessSearch(space, hp, landscape.asScorer()).trajectory();
  }

  /** The results an honest benchmark evaluator would send for an iteration, in index order. */
  public static List<EvaluationResult> results(SearchSpec spec, DistributionUpdate u) {
    SearchSpace space = SearchSpace.parse(spec.getSpace(), "space");
    Landscape landscape = Landscape.parse(spec.getLandscape(), "landscape", space);
    Distribution d = WireConversions.distribution(space, u);
    List<EvaluationResult> out = new ArrayList<>();
    for (int k = 0; k < u.getSampleCount(); k++) {
      Architecture a = Sampler.sample(d, spec.getSeed(), u.getIteration(), k);
      out.add(
          ok(
              spec.getSearchId(),
              u.getIteration(),
              k,
              landscape.logLikelihood(a, u.getIteration(), k),
              landscape.cost(a)));
    }
    return out;
  }

  public static EvaluationResult ok(
      String searchId, int iteration, int index, double ll, double cost) {
    return EvaluationResult.newBuilder()
        .setSampleId(SampleIds.of(searchId, iteration, index))
        .setSearchId(searchId)
        .setIteration(iteration)
        .setIndex(index)
        .setAttempt(1)
        .setEvaluatorId("test")
        .setStatus(ResultStatus.OK)
        .setLogLikelihood(ll)
        .setCost(cost)
        .setMetrics(Map.of())
        .setDurationMs(1L)
        .setError(null)
        .setFinishedAtMs(2L)
        .build();
  }

  public static EvaluationResult failed(String searchId, int iteration, int index, String error) {
    return EvaluationResult.newBuilder(ok(searchId, iteration, index, 0, 0))
        .setStatus(ResultStatus.FAILED)
        .setLogLikelihood(null)
        .setCost(null)
        .setError(error)
        .build();
  }
}
