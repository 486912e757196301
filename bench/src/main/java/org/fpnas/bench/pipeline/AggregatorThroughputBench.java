package org.fpnas.bench.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.fpnas.bench.Bench;
import org.fpnas.bench.BenchContext;
import org.fpnas.bench.ExampleSearch;
import org.fpnas.bench.KafkaRig;
import org.fpnas.bench.report.Section;
import org.fpnas.bench.report.Summary;
import org.fpnas.bench.report.Table;
import org.fpnas.client.wire.WireConversions;
import org.fpnas.core.Distribution;
import org.fpnas.core.Sampler;
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
 * Benchmark 6: results per second that the aggregator absorbs, many searches and many results per
 * iteration.
 */
public final class AggregatorThroughputBench implements Bench {
  static final String TEAM = "bench-aggregator";

  @Override
  public String name() {
    return "aggregator-throughput";
  }

  @Override
  public String title() {
    return "Aggregator throughput";
  }

  @Override
  public List<String> teams() {
    return List.of(TEAM);
  }

  @Override
  public String method() {
    return "With the evaluators stopped, S searches with a fixed K are submitted and their iteration-0 distributions "
        + "awaited. Then all S·K honest results are produced at once, interleaved across the searches (architectures "
        + "from `Sampler.sample(distribution, seed, 0, index)`, scores from the landscape, serialized beforehand), and "
        + "the time runs from the first send until every search's iteration-1 distribution has been read back "
        + "(committed). *Results/s* = S·K / that time; it includes the aggregator's exactly-once transactions and the "
        + "read-back, not the evaluation. The aggregator runs as one Kafka Streams thread over the "
        + Topics.DEFAULT_SEARCH_PARTITIONS
        + " partitions of the search-keyed topics.";
  }

  /** One load: searches, and results per search. */
  private record Load(int searches, int k) {}

  @Override
  public Section run(BenchContext context) throws Exception {
    int repetitions = context.size(1, 3);
    List<Load> loads =
        context.quick()
            ? List.of(new Load(4, 64))
            : List.of(new Load(16, 16), new Load(16, 64), new Load(16, 256), new Load(64, 64));
    KafkaRig rig = context.kafka();
    rig.startController();
    rig.stopEvaluators(); // the results come from the benchmark, not from evaluators
    AvroSerde<EvaluationResult> serde = new AvroSerde<>(rig.registry(), EvaluationResult.class);
    String topic = Topics.forTeam(TEAM).evaluations();
    Table table =
        new Table()
            .column("searches")
            .column("K")
            .column("results")
            .summaryColumn("produce (s)", 3)
            .summaryColumn("absorb (s)", 3)
            .summaryColumn("results/s", 0)
            .summaryColumn("updates/s", 1);
    List<String> findings = new ArrayList<>();
    List<String> rates = new ArrayList<>();
    try (KafkaProducer<String, byte[]> producer = producer(rig)) {
      for (Load load : loads) {
        context.progress(
            "%s: %d searches × K=%d, %d repetition(s)",
            name(), load.searches(), load.k(), repetitions);
        List<Double> produce = new ArrayList<>();
        List<Double> absorb = new ArrayList<>();
        List<Double> perSecond = new ArrayList<>();
        List<Double> updates = new ArrayList<>();
        for (int r = 0; r < repetitions; r++) {
          double[] times = once(rig, producer, serde, topic, load, r);
          produce.add(times[0]);
          absorb.add(times[1]);
          perSecond.add(load.searches() * load.k() / times[1]);
          updates.add(load.searches() / times[1]);
        }
        Summary rate = Summary.of(perSecond);
        table.row(
            load.searches(),
            load.k(),
            load.searches() * load.k(),
            Summary.of(produce),
            Summary.of(absorb),
            rate,
            Summary.of(updates));
        rates.add(
            String.format(
                Locale.ROOT,
                "%.0f results/s at %d searches × K=%d",
                rate.median(),
                load.searches(),
                load.k()));
      }
    }
    findings.add("The aggregator absorbed " + String.join(", ", rates) + " (medians).");
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(
        "loads",
        String.join(
            ", ", loads.stream().map(l -> l.searches() + " searches × K=" + l.k()).toList()));
    settings.put(
        "searches",
        ExampleSearch.SPACE + " with " + ExampleSearch.LANDSCAPE + ", fixedK=K, maxIterations=1");
    settings.put("producer", "acks=all, idempotent, linger.ms=5");
    settings.put(
        "controller",
        "ControllerService defaults (exactly-once v2, one stream thread, commit interval 50 ms)");
    return new Section(name(), title(), method(), settings, repetitions, table, findings);
  }

  /** One repetition: returns {produce seconds, absorb seconds}. */
  private static double[] once(
      KafkaRig rig,
      KafkaProducer<String, byte[]> producer,
      AvroSerde<EvaluationResult> serde,
      String topic,
      Load load,
      int repetition) {
    try (DistributionTail tail = new DistributionTail(rig, TEAM)) {
      List<SearchSpec> specs = new ArrayList<>();
      Set<String> ids = new LinkedHashSet<>();
      for (int i = 0; i < load.searches(); i++) {
        String id = "agg-s" + load.searches() + "-k" + load.k() + "-r" + repetition + "-" + i;
        SearchSpec spec =
            ExampleSearch.spec(
                TEAM,
                id,
                Map.of(
                    "fixedK",
                    Integer.toString(load.k()),
                    "maxIterations",
                    "1",
                    "seed",
                    Integer.toString(i)),
                0);
        specs.add(spec);
        ids.add(id);
        rig.publish(spec);
      }
      Map<String, DistributionUpdate> initial = tail.await(ids, 0, Duration.ofMinutes(2));
      List<List<ProducerRecord<String, byte[]>>> bySearch = new ArrayList<>();
      for (SearchSpec spec : specs) {
        bySearch.add(results(spec, initial.get(spec.getSearchId()), load.k(), serde, topic));
      }
      long start = System.nanoTime();
      for (int k = 0; k < load.k(); k++) {
        for (List<ProducerRecord<String, byte[]>> records : bySearch) {
          producer.send(records.get(k));
        }
      }
      producer.flush();
      long produced = System.nanoTime();
      tail.await(ids, 1, Duration.ofMinutes(5));
      long absorbed = System.nanoTime();
      return new double[] {(produced - start) / 1e9, (absorbed - start) / 1e9};
    }
  }

  /** The honest results of iteration 0 of a search, serialized. */
  private static List<ProducerRecord<String, byte[]>> results(
      SearchSpec spec,
      DistributionUpdate initial,
      int k,
      AvroSerde<EvaluationResult> serde,
      String topic) {
    Landscape landscape = ExampleSearch.landscape(spec);
    Distribution distribution = WireConversions.distribution(ExampleSearch.space(spec), initial);
    List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
    for (int index = 0; index < k; index++) {
      Architecture a = Sampler.sample(distribution, spec.getSeed(), 0, index);
      EvaluationResult result =
          EvaluationResult.newBuilder()
              .setSampleId(SampleIds.of(spec.getSearchId(), 0, index))
              .setSearchId(spec.getSearchId())
              .setIteration(0)
              .setIndex(index)
              .setAttempt(1)
              .setEvaluatorId("bench-producer")
              .setStatus(ResultStatus.OK)
              .setLogLikelihood(landscape.logLikelihood(a, 0, index))
              .setCost(landscape.cost(a))
              .setMetrics(Map.of())
              .setDurationMs(0)
              .setFinishedAtMs(System.currentTimeMillis())
              .build();
      out.add(new ProducerRecord<>(topic, spec.getSearchId(), serde.serialize(topic, result)));
    }
    return out;
  }

  private static KafkaProducer<String, byte[]> producer(KafkaRig rig) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, rig.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }
}
