package org.fpnas.bench.pipeline;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.fpnas.bench.ExampleSearch;
import org.fpnas.bench.KafkaRig;
import org.fpnas.client.fold.SearchFold;
import org.fpnas.client.fold.SearchModels;
import org.fpnas.client.wire.WireConversions;
import org.fpnas.core.Hyperparameters;
import org.fpnas.core.SearchState;
import org.fpnas.core.landscape.Landscape;
import org.fpnas.core.space.Architecture;
import org.fpnas.schemas.AvroSerde;
import org.fpnas.schemas.SampleIds;
import org.fpnas.schemas.Topics;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.EvaluationResult;
import org.fpnas.schemas.avro.ResultStatus;
import org.fpnas.schemas.avro.SearchSpec;

/**
 * Writes the history of a long search straight to its team's topics, as the pipeline would have
 * recorded it, without running the pipeline: the spec; per iteration the K results (architectures
 * from the sampler's streams, scores from the landscape) and the distribution that the aggregator's
 * own fold ({@link SearchFold#next}) makes of them. {@code Replay.verify} recomputes every
 * distribution and compares bit for bit. No controller may run meanwhile: it would act on the spec
 * and the results.
 */
final class HistoryWriter {
  private HistoryWriter() {}

  /**
   * Writes the history of {@code spec} (a fixed K and maxIterations are in its settings); returns
   * the events written.
   */
  static long write(KafkaRig rig, SearchSpec spec) {
    Topics topics = Topics.forTeam(spec.getTeam());
    AvroSerde<SearchSpec> specs = new AvroSerde<>(rig.registry(), SearchSpec.class);
    AvroSerde<EvaluationResult> results = new AvroSerde<>(rig.registry(), EvaluationResult.class);
    AvroSerde<DistributionUpdate> updates =
        new AvroSerde<>(rig.registry(), DistributionUpdate.class);
    SearchModels.Model model = new SearchModels().of(spec);
    Hyperparameters hp = model.hyperparameters();
    Landscape landscape = ExampleSearch.landscape(spec);
    String id = spec.getSearchId();
    long events = 0;
    try (KafkaProducer<String, byte[]> producer = producer(rig)) {
      producer.send(
          new ProducerRecord<>(topics.searches(), id, specs.serialize(topics.searches(), spec)));
      DistributionUpdate update = SearchFold.initialUpdate(spec, model, System.currentTimeMillis());
      SearchState state = WireConversions.state(model.space(), update);
      producer.send(
          new ProducerRecord<>(
              topics.distributions(), id, updates.serialize(topics.distributions(), update)));
      events++;
      while (!state.done()) {
        List<EvaluationResult> used = new ArrayList<>();
        for (int index = 0; index < state.sampleCount(); index++) {
          Architecture a = model.fpnas().sample(state.distribution(), state.iteration(), index);
          double ll = landscape.logLikelihood(a, state.iteration(), index);
          double cost = landscape.cost(a);
          String sampleId = SampleIds.of(id, state.iteration(), index);
          EvaluationResult result =
              EvaluationResult.newBuilder()
                  .setSampleId(sampleId)
                  .setSearchId(id)
                  .setIteration(state.iteration())
                  .setIndex(index)
                  .setAttempt(1)
                  .setEvaluatorId("bench-history")
                  .setStatus(ResultStatus.OK)
                  .setLogLikelihood(ll)
                  .setCost(cost)
                  .setMetrics(Map.of())
                  .setDurationMs(0)
                  .setFinishedAtMs(System.currentTimeMillis())
                  .build();
          producer.send(
              new ProducerRecord<>(
                  topics.evaluations(), id, results.serialize(topics.evaluations(), result)));
          events++;
          used.add(result);
        }
        used.sort(
            Comparator.comparing(EvaluationResult::getSampleId)); // as the aggregator takes them
        update =
            SearchFold.next(
                spec, model, state, used, state.sampleCount(), System.currentTimeMillis());
        producer.send(
            new ProducerRecord<>(
                topics.distributions(), id, updates.serialize(topics.distributions(), update)));
        events++;
        state = WireConversions.state(model.space(), update);
      }
      producer.flush();
    }
    return events;
  }

  private static KafkaProducer<String, byte[]> producer(KafkaRig rig) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, rig.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
    return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }
}
