package org.fpnas.client.history;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
