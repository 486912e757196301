package org.fpnas.bench.pipeline;

import java.util.ArrayList;
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
import org.fpnas.client.wire.WireConversions;
import org.fpnas.core.Architecture;
import org.fpnas.core.Evaluation;
import org.fpnas.core.FpNas;
import org.fpnas.core.Hyperparameters;
import org.fpnas.core.IterationOutcome;
import org.fpnas.core.Landscape;
import org.fpnas.core.Sampler;
import org.fpnas.core.SearchState;
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
 * from the sampler's streams, scores from the landscape) and the distribution of the core update,
 * built from the public pieces the aggregator's {@code SearchFold.next} uses ({@link FpNas#update},
 * {@link WireConversions#update}, the same statistics). {@code Replay.verify} recomputes every
 * distribution with the aggregator's own code and compares bit for bit, so a history it accepts is
 * exactly what the aggregator would have written. No controller may run meanwhile: it would act on
 * the spec and the results.
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
    Hyperparameters hp = Hyperparameters.fromMap(spec.getHyperparameters());
    FpNas fpNas = new FpNas(ExampleSearch.space(spec), hp);
    Landscape landscape = ExampleSearch.landscape(spec);
    String id = spec.getSearchId();
    long events = 0;
    try (KafkaProducer<String, byte[]> producer = producer(rig)) {
      producer.send(
          new ProducerRecord<>(topics.searches(), id, specs.serialize(topics.searches(), spec)));
      SearchState state = fpNas.initial();
      DistributionUpdate update =
          WireConversions.update(id, spec.getTeam(), state, System.currentTimeMillis()).build();
      producer.send(
          new ProducerRecord<>(
              topics.distributions(), id, updates.serialize(topics.distributions(), update)));
      events++;
      while (!state.done()) {
        List<Evaluation> evaluations = new ArrayList<>();
        List<String> used = new ArrayList<>();
        for (int index = 0; index < state.sampleCount(); index++) {
          Architecture a =
              Sampler.sample(state.distribution(), hp.seed(), state.iteration(), index);
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
          evaluations.add(new Evaluation(index, a, ll, cost));
          used.add(sampleId);
        }
        used.sort(null); // as the aggregator records them
        IterationOutcome o = fpNas.update(state, evaluations);
        update =
            WireConversions.update(id, spec.getTeam(), o.next(), System.currentTimeMillis())
                .setSamplesUsed(o.samplesUsed())
                .setSamplesMissing(state.sampleCount() - o.samplesUsed())
                .setUsedSampleIds(used)
                .setEffectiveSampleSize(o.effectiveSampleSize())
                .setExpectedCost(o.expectedCost())
                .setMeanLogLikelihood(o.meanLogLikelihood())
                .setMaxLogLikelihood(o.maxLogLikelihood())
                .build();
        producer.send(
            new ProducerRecord<>(
                topics.distributions(), id, updates.serialize(topics.distributions(), update)));
        events++;
        state = o.next();
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
