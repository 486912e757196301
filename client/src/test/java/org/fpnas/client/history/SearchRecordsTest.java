package org.fpnas.client.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.fpnas.client.SearchRequest;
import org.fpnas.client.SearchSpecs;
import org.fpnas.client.fold.SearchFold;
import org.fpnas.client.fold.SearchModels;
import org.fpnas.client.wire.WireConversions;
import org.fpnas.schemas.AvroSerde;
import org.fpnas.schemas.LocalSchemaStore;
import org.fpnas.schemas.Topics;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.EvaluationResult;
import org.fpnas.schemas.avro.ResultStatus;
import org.fpnas.schemas.avro.SearchSpec;
import org.junit.jupiter.api.Test;

/** The read side's fold of a team's records into its searches' logs. */
class SearchRecordsTest {
  private static final String SPACE =
      "name: two\nlayers:\n  - name: l0\n    variables:\n      a: [x, y, z]\n";

  @Test
  void anIterationCarriedForwardKeepsItsVersionAndStillCountsAndADuplicateDoesNot() {
    LocalSchemaStore schemas = new LocalSchemaStore();
    SearchSpec spec =
        SearchSpecs.validate(
            new SearchRequest("two.yaml", SPACE)
                .evaluator("choice-distance")
                .searchId("carried")
                .set("maxIterations", "1"),
            0L);
    SearchModels.Model model = SearchModels.parse(spec);
    DistributionUpdate first = SearchFold.initialUpdate(spec, model, 0L);
    // Every sample of iteration 0 failed: the distribution moves on unchanged, and the search ends.
    DistributionUpdate carried =
        SearchFold.next(
            spec,
            model,
            WireConversions.state(model.space(), first),
            List.of(),
            first.getSampleCount(),
            1L);
    assertEquals(first.getVersion(), carried.getVersion());
    assertEquals(true, carried.getDone());

    Topics topics = Topics.forTeam(spec.getTeam());
    SearchRecords records = new SearchRecords(schemas, spec.getTeam());
    AvroSerde<SearchSpec> specs = new AvroSerde<>(schemas, SearchSpec.class);
    AvroSerde<DistributionUpdate> updates = new AvroSerde<>(schemas, DistributionUpdate.class);
    records.add(
        new ConsumerRecord<>(
            topics.searches(), 0, 0, "carried", specs.serialize(topics.searches(), spec)));
    long offset = 0;
    for (DistributionUpdate u : List.of(first, carried, first)) {
      records.add(
          new ConsumerRecord<>(
              topics.distributions(),
              0,
              offset++,
              "carried",
              updates.serialize(topics.distributions(), u)));
    }
    SearchLog log = records.log("carried");
    assertEquals(List.of(first, carried), log.updates());
    assertEquals("done", log.state());
  }

  /** A search of one iteration with two results, ended: its spec, updates and results. */
  record Ended(SearchSpec spec, List<DistributionUpdate> updates, List<EvaluationResult> results) {}

  static Ended ended(String team, String id) {
    SearchSpec spec =
        SearchSpecs.validate(
            new SearchRequest("two.yaml", SPACE)
                .evaluator("choice-distance")
                .team(team)
                .searchId(id)
                .set("maxIterations", "1")
                .set("fixedK", "2"),
            0L);
    SearchModels.Model model = SearchModels.parse(spec);
    DistributionUpdate first = SearchFold.initialUpdate(spec, model, 0L);
    List<EvaluationResult> results = new java.util.ArrayList<>();
    for (int index = 0; index < 2; index++) {
      results.add(
          EvaluationResult.newBuilder()
              .setSampleId(id + "/0/" + index)
              .setSearchId(id)
              .setIteration(0)
              .setIndex(index)
              .setEvaluatorId("e")
              .setStatus(ResultStatus.OK)
              .setLogLikelihood(-1.0 - index)
              .setCost(1.0)
              .setDurationMs(1)
              .setFinishedAtMs(1)
              .build());
    }
    DistributionUpdate last =
        SearchFold.next(
            spec,
            model,
            WireConversions.state(model.space(), first),
            results,
            r -> WireConversions.architecture(List.of(List.of(r.getIndex()))),
            first.getSampleCount(),
            1L);
    assertTrue(last.getDone());
    return new Ended(spec, List.of(first, last), results);
  }

  private static void add(SearchRecords records, LocalSchemaStore schemas, Ended e) {
    Topics topics = Topics.forTeam(e.spec().getTeam());
    String id = e.spec().getSearchId();
    records.add(
        new ConsumerRecord<>(
            topics.searches(),
            0,
            0,
            id,
            new AvroSerde<>(schemas, SearchSpec.class).serialize(topics.searches(), e.spec())));
    for (EvaluationResult r : e.results()) {
      records.add(
          new ConsumerRecord<>(
              topics.evaluations(),
              0,
              0,
              id,
              new AvroSerde<>(schemas, EvaluationResult.class).serialize(topics.evaluations(), r)));
    }
    for (DistributionUpdate u : e.updates()) {
      records.add(
          new ConsumerRecord<>(
              topics.distributions(),
              0,
              0,
              id,
              new AvroSerde<>(schemas, DistributionUpdate.class)
                  .serialize(topics.distributions(), u)));
    }
  }

  @Test
  void searchesThatEndedLongAgoAreKeptAsSummariesThatStillListThem() {
    LocalSchemaStore schemas = new LocalSchemaStore();
    SearchRecords records = new SearchRecords(schemas, "default");
    Ended a = ended("default", "a");
    Ended b = ended("default", "b");
    add(records, schemas, a);
    add(records, schemas, b);
    SearchLog wholeA = records.log("a");
    assertEquals(List.of("a"), records.retire(1), "the one that ended first goes");
    assertTrue(records.isRetired("a"));

    SearchLog summary = records.log("a");
    assertEquals(wholeA.state(), summary.state());
    assertEquals(2, summary.samplesEvaluated());
    assertEquals(wholeA.latest().getIteration(), summary.latest().getIteration());
    assertEquals(wholeA.latest().getMaxLogLikelihood(), summary.latest().getMaxLogLikelihood());
    assertEquals(List.of(), summary.results());
    assertEquals(List.of(), summary.latest().getLogits(), "no logits kept");
    assertEquals("", summary.spec().getSpace(), "no space kept");
    assertNull(records.log("b").summary(), "the last ended is whole");
    assertEquals(List.of("a", "b"), List.copyOf(records.logs().keySet()));

    // What comes for it later (a copy, a late result, its spec again) leaves the summary as it is.
    add(records, schemas, a);
    assertEquals(summary, records.log("a"));
  }
}
