package org.fpnas.controller.aggregator;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.fpnas.schemas.PlainAvroSerde;
import org.fpnas.schemas.SampleIds;
import org.fpnas.schemas.avro.ArchitectureSample;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.EvaluationResult;
import org.fpnas.schemas.avro.SearchSpec;
import org.fpnas.schemas.avro.SearchTally;

/**
 * The aggregator's state, laid out so that a result costs the same whatever K is: the spec and the
 * current distribution are written once per search and once per iteration, each pending result (and
 * in the asynchronous schedule each drawn sample) is a record of its own keyed by its sample id,
 * and only the small {@link SearchTally} is rewritten per result.
 */
final class SearchStores {
  static final String SPECS = "search-specs";
  static final String DISTRIBUTIONS = "search-distributions";
  static final String TALLIES = "search-tallies";
  static final String PENDING = "pending-results";
  static final String IN_FLIGHT = "in-flight-samples";
  static final String ENDED = "ended-searches";

  private final KeyValueStore<String, SearchSpec> specs;
  private final KeyValueStore<String, DistributionUpdate> distributions;
  private final KeyValueStore<String, SearchTally> tallies;
  private final KeyValueStore<String, EvaluationResult> pending;
  private final KeyValueStore<String, ArchitectureSample> inFlight;
  private final KeyValueStore<String, SearchTally> ended;

  SearchStores(ProcessingContext context) {
    this(context::getStateStore);
  }

  /** Over stores found by name: a processor's context, or a test driver. */
  @SuppressWarnings("unchecked")
  SearchStores(Function<String, Object> byName) {
    this.specs = (KeyValueStore<String, SearchSpec>) byName.apply(SPECS);
    this.distributions = (KeyValueStore<String, DistributionUpdate>) byName.apply(DISTRIBUTIONS);
    this.tallies = (KeyValueStore<String, SearchTally>) byName.apply(TALLIES);
    this.pending = (KeyValueStore<String, EvaluationResult>) byName.apply(PENDING);
    this.inFlight = (KeyValueStore<String, ArchitectureSample>) byName.apply(IN_FLIGHT);
    this.ended = (KeyValueStore<String, SearchTally>) byName.apply(ENDED);
  }

  /** Adds the stores, connected to the given processor. */
  static void addTo(Topology topology, String processor) {
    builders().forEach(b -> topology.addStateStore(b, processor));
  }

  /** The stores (persistent, with a changelog). */
  static List<StoreBuilder<? extends KeyValueStore<String, ?>>> builders() {
    return List.of(
        store(SPECS, new PlainAvroSerde<>(SearchSpec.class)),
        store(DISTRIBUTIONS, new PlainAvroSerde<>(DistributionUpdate.class)),
        store(TALLIES, new PlainAvroSerde<>(SearchTally.class)),
        store(PENDING, new PlainAvroSerde<>(EvaluationResult.class)),
        store(IN_FLIGHT, new PlainAvroSerde<>(ArchitectureSample.class)),
        store(ENDED, new PlainAvroSerde<>(SearchTally.class)));
  }

  private static <V extends SpecificRecord> StoreBuilder<KeyValueStore<String, V>> store(
      String name, PlainAvroSerde<V> values) {
    return Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(name), Serdes.String(), values);
  }

  /**
   * The key of a search in every store: its team and its id, so that two teams' searches of the
   * same id are two searches. A team name has no '/', a search id none either (refused at submit
   * and by the aggregator), so the key is unambiguous and a search's sample-keyed entries share its
   * prefix.
   */
  static String key(String team, String searchId) {
    return team + "/" + searchId;
  }

  /** The tally of a search, running or ended; null for an unknown one. */
  SearchTally tally(String team, String searchId) {
    String key = key(team, searchId);
    SearchTally live = tallies.get(key);
    return live != null ? live : ended.get(key);
  }

  SearchSpec spec(String team, String searchId) {
    return specs.get(key(team, searchId));
  }

  DistributionUpdate current(String team, String searchId) {
    return distributions.get(key(team, searchId));
  }

  /** A new search, or a new iteration, or a cancel: the spec only when it changed. */
  void putSpec(SearchSpec spec) {
    specs.put(key(spec.getTeam(), spec.getSearchId()), spec);
  }

  void putCurrent(DistributionUpdate current) {
    distributions.put(key(current.getTeam(), current.getSearchId()), current);
  }

  /**
   * Saves a tally. An ended search keeps only its tally, in a store of its own: its spec and last
   * distribution are on the history topics, and what remains is enough to tell a late result or a
   * reused id, without the every-second scan of running searches ever passing it again.
   */
  void putTally(String searchId, SearchTally tally) {
    String key = key(tally.getTeam(), searchId);
    if (tally.getDone()) {
      tallies.delete(key);
      specs.delete(key);
      distributions.delete(key);
      ended.put(key, tally);
    } else {
      tallies.put(key, tally);
    }
  }

  boolean hasResult(String team, String searchId, int iteration, int index) {
    return pending.get(key(team, SampleIds.of(searchId, iteration, index))) != null;
  }

  void addResult(String team, EvaluationResult result) {
    pending.put(key(team, result.getSampleId()), result);
  }

  /** The pending results of a search (only its open iteration has any), in sample id order. */
  List<EvaluationResult> results(String team, String searchId) {
    List<EvaluationResult> out = new ArrayList<>();
    try (KeyValueIterator<String, EvaluationResult> it =
        pending.prefixScan(key(team, searchId) + "/", new StringSerializer())) {
      it.forEachRemaining(kv -> out.add(kv.value));
    }
    return out;
  }

  /** Removes the pending results of a search, as its iteration closes. */
  void clearResults(String team, List<EvaluationResult> results) {
    for (EvaluationResult r : results) {
      pending.delete(key(team, r.getSampleId()));
    }
  }

  /**
   * A sample of the asynchronous schedule, from its draw until the update that uses its result (or
   * until it is given up): its choices are the architecture the update takes.
   */
  void putInFlight(ArchitectureSample sample) {
    inFlight.put(key(sample.getTeam(), sample.getSampleId()), sample);
  }

  /** A drawn sample not yet used by an update nor given up; null otherwise. */
  ArchitectureSample inFlight(String team, String sampleId) {
    return inFlight.get(key(team, sampleId));
  }

  void removeInFlight(ArchitectureSample sample) {
    inFlight.delete(key(sample.getTeam(), sample.getSampleId()));
  }

  /** The drawn samples of a search not yet used nor given up, in sample id order. */
  List<ArchitectureSample> inFlightOf(String team, String searchId) {
    List<ArchitectureSample> out = new ArrayList<>();
    try (KeyValueIterator<String, ArchitectureSample> it =
        inFlight.prefixScan(key(team, searchId) + "/", new StringSerializer())) {
      it.forEachRemaining(kv -> out.add(kv.value));
    }
    return out;
  }

  /** Every running search's tally, with the search's id (its team is the tally's). */
  void forEachTally(BiConsumer<String, SearchTally> action) {
    forEach(tallies, action);
  }

  /** Every ended search's tally, with the search's id. */
  void forEachEnded(BiConsumer<String, SearchTally> action) {
    forEach(ended, action);
  }

  private static void forEach(
      KeyValueStore<String, SearchTally> store, BiConsumer<String, SearchTally> action) {
    try (KeyValueIterator<String, SearchTally> all = store.all()) {
      all.forEachRemaining(
          kv -> action.accept(kv.key.substring(kv.value.getTeam().length() + 1), kv.value));
    }
  }

  /** The tally at the start of the iteration of the given distribution (counters at zero). */
  static SearchTally startOf(DistributionUpdate current, long startedAtMs) {
    return SearchTally.newBuilder()
        .setTeam(current.getTeam())
        .setIteration(current.getIteration())
        .setSampleCount(current.getSampleCount())
        .setDone(current.getDone())
        .setStopReason(current.getStopReason())
        .setIterationStartedAtMs(startedAtMs)
        .build();
  }
}
