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
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.EvaluationResult;
import org.fpnas.schemas.avro.SearchProgress;
import org.fpnas.schemas.avro.SearchSpec;
import org.fpnas.schemas.avro.SearchTally;

/**
 * The aggregator's state, laid out so that a result costs the same whatever K is: the spec and the
 * current distribution are written once per search and once per iteration, each pending result is a
 * record of its own keyed by its sample id, and only the small {@link SearchTally} is rewritten per
 * result.
 *
 * <p>Controllers before this layout kept everything in one {@link SearchProgress} per search in
 * {@value #LEGACY}. That store stays in the topology so that its changelog is restored on upgrade;
 * a search found there is moved into the new stores, and deleted there, in the same transaction as
 * the first event that touches it (or the first deadline check), so a controller of this version
 * takes over a search started by an older one.
 */
final class SearchStores {
  static final String SPECS = "search-specs";
  static final String DISTRIBUTIONS = "search-distributions";
  static final String TALLIES = "search-tallies";
  static final String PENDING = "pending-results";
  static final String LEGACY = "search-progress";

  /**
   * The last iteration of each search whose samples this aggregator drew (or handed over, for a
   * search an older controller's sampler sampled). A search missing here, though it has a tally,
   * was taken over from a controller that drew samples in its sampler ({@link LegacySampler}).
   */
  static final String DRAWN = "samples-drawn";

  private final KeyValueStore<String, SearchSpec> specs;
  private final KeyValueStore<String, DistributionUpdate> distributions;
  private final KeyValueStore<String, SearchTally> tallies;
  private final KeyValueStore<String, EvaluationResult> pending;
  private final KeyValueStore<String, SearchProgress> legacy;
  private final KeyValueStore<String, Integer> drawn;

  /** Whether every search of the legacy store has been moved; nothing writes there any more. */
  private boolean legacyEmpty;

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
    this.legacy = (KeyValueStore<String, SearchProgress>) byName.apply(LEGACY);
    this.drawn = (KeyValueStore<String, Integer>) byName.apply(DRAWN);
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
        store(LEGACY, new PlainAvroSerde<>(SearchProgress.class)),
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(DRAWN), Serdes.String(), Serdes.Integer()));
  }

  private static <V extends SpecificRecord> StoreBuilder<KeyValueStore<String, V>> store(
      String name, PlainAvroSerde<V> values) {
    return Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(name), Serdes.String(), values);
  }

  /** The tally of a search, null for an unknown one; a search of the legacy store moves first. */
  SearchTally tally(String searchId) {
    SearchTally tally = tallies.get(searchId);
    if (tally == null && !legacyEmpty) {
      SearchProgress old = legacy.get(searchId);
      if (old != null) {
        tally = migrate(old);
      }
    }
    return tally;
  }

  SearchSpec spec(String searchId) {
    return specs.get(searchId);
  }

  DistributionUpdate current(String searchId) {
    return distributions.get(searchId);
  }

  /** A new search, or a new iteration, or a cancel: the spec only when it changed. */
  void putSpec(SearchSpec spec) {
    specs.put(spec.getSearchId(), spec);
  }

  void putCurrent(DistributionUpdate current) {
    distributions.put(current.getSearchId(), current);
  }

  void putTally(String searchId, SearchTally tally) {
    tallies.put(searchId, tally);
  }

  /** The last iteration of the search whose samples were drawn here, null if none. */
  Integer drawn(String searchId) {
    return drawn.get(searchId);
  }

  /** Records that the samples of the search's iteration are out (one write per iteration). */
  void markDrawn(String searchId, int iteration) {
    drawn.put(searchId, iteration);
  }

  boolean hasResult(String searchId, int iteration, int index) {
    return pending.get(SampleIds.of(searchId, iteration, index)) != null;
  }

  void addResult(EvaluationResult result) {
    pending.put(
        SampleIds.of(result.getSearchId(), result.getIteration(), result.getIndex()), result);
  }

  /** The pending results of a search (only its open iteration has any), in sample id order. */
  List<EvaluationResult> results(String searchId) {
    List<EvaluationResult> out = new ArrayList<>();
    try (KeyValueIterator<String, EvaluationResult> it =
        pending.prefixScan(searchId + "/", new StringSerializer())) {
      it.forEachRemaining(kv -> out.add(kv.value));
    }
    return out;
  }

  /** Removes the pending results of a search, as its iteration closes. */
  void clearResults(String searchId, List<EvaluationResult> results) {
    for (EvaluationResult r : results) {
      pending.delete(SampleIds.of(searchId, r.getIteration(), r.getIndex()));
    }
  }

  /** Every search's tally (after moving what is left in the legacy store). */
  void forEachTally(BiConsumer<String, SearchTally> action) {
    migrateAll();
    try (KeyValueIterator<String, SearchTally> all = tallies.all()) {
      all.forEachRemaining(kv -> action.accept(kv.key, kv.value));
    }
  }

  /** Moves every search of the legacy store; only where records may be written (a punctuator). */
  void migrateAll() {
    if (legacyEmpty) {
      return;
    }
    List<SearchProgress> old = new ArrayList<>();
    try (KeyValueIterator<String, SearchProgress> all = legacy.all()) {
      all.forEachRemaining(kv -> old.add(kv.value));
    }
    old.forEach(this::migrate);
    legacyEmpty = true;
  }

  /** The tallies as they are, reading the legacy store too; writes nothing (for {@code init}). */
  void forEachTallyReadOnly(BiConsumer<String, SearchTally> action) {
    try (KeyValueIterator<String, SearchTally> all = tallies.all()) {
      all.forEachRemaining(kv -> action.accept(kv.key, kv.value));
    }
    try (KeyValueIterator<String, SearchProgress> all = legacy.all()) {
      all.forEachRemaining(kv -> action.accept(kv.key, tallyOf(kv.value)));
    }
  }

  private SearchTally migrate(SearchProgress old) {
    String id = old.getSpec().getSearchId();
    putSpec(old.getSpec());
    putCurrent(old.getCurrent());
    old.getPending().forEach(this::addResult);
    SearchTally tally = tallyOf(old);
    putTally(id, tally);
    legacy.delete(id);
    return tally;
  }

  static SearchTally tallyOf(SearchProgress p) {
    DistributionUpdate current = p.getCurrent();
    return SearchTally.newBuilder(startOf(current, p.getIterationStartedAtMs()))
        .setReceived(p.getPending().size())
        .setAttempt(p.getAttempt())
        .setRedispatched(p.getRedispatched())
        .setDuplicates(p.getDuplicates())
        .setLate(p.getLate())
        .setFailed(p.getFailed())
        .setInvalid(p.getInvalid())
        .build();
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

  /** A search's whole state in the legacy shape, as tests and tools read it. */
  SearchProgress assemble(String searchId) {
    SearchTally t = tallies.get(searchId);
    if (t == null) {
      return legacy.get(searchId);
    }
    return SearchProgress.newBuilder()
        .setSpec(specs.get(searchId))
        .setCurrent(distributions.get(searchId))
        .setPending(results(searchId))
        .setIterationStartedAtMs(t.getIterationStartedAtMs())
        .setAttempt(t.getAttempt())
        .setRedispatched(t.getRedispatched())
        .setDuplicates(t.getDuplicates())
        .setLate(t.getLate())
        .setFailed(t.getFailed())
        .setInvalid(t.getInvalid())
        .build();
  }
}
