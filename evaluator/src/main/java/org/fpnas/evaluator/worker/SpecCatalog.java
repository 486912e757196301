package org.fpnas.evaluator.worker;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.fpnas.cluster.RecentlyUsed;
import org.fpnas.cluster.TopicReader;
import org.fpnas.schemas.AvroSerde;
import org.fpnas.schemas.RegistryUnavailableException;
import org.fpnas.schemas.Topics;
import org.fpnas.schemas.avro.SearchSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The search specs of every team, read from the compacted searches topics. Evaluators need a
 * sample's search to know its space and settings; the catalogue reads on demand, when a sample of
 * an unknown search arrives. A spec is known under the team whose topic it came in on, and only
 * when it names that team (as the aggregator takes it), so one team's spec never stands in for
 * another team's search of the same id.
 *
 * <p>Memory stays bounded however many searches the cluster has run: the last {@value #SPECS_KEPT}
 * specs asked for are kept decoded (a spec carries its whole space), and of every other one only
 * where it is on its topic, from where it is read again when a sample of it comes.
 */
public final class SpecCatalog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SpecCatalog.class);

  /** The least time a catch-up is given, however late: enough to ask the brokers for the ends. */
  private static final Duration MIN_READ = Duration.ofSeconds(5);

  /** The specs kept decoded: far more searches than run at once on any pool. */
  static final int SPECS_KEPT = 1024;

  private final String bootstrapServers;
  private final Map<String, String> clientSettings;
  private final TopicReader reader;
  private final AvroSerde<SearchSpec> serde;
  private final RecentlyUsed<Key, SearchSpec> specs;

  /** Where the latest spec of every search is, for one evicted from {@link #specs}. */
  private final Map<Key, Position> positions = new HashMap<>();

  /** Specs read while the schema registry was down, decoded again when asked for. */
  private final Map<Key, ConsumerRecord<String, byte[]>> undecoded = new HashMap<>();

  private record Key(String team, String searchId) {}

  private record Position(TopicPartition partition, long offset) {}

  public SpecCatalog(
      String bootstrapServers, AvroSerde<SearchSpec> serde, Map<String, String> clientSettings) {
    this(bootstrapServers, serde, clientSettings, SPECS_KEPT);
  }

  SpecCatalog(
      String bootstrapServers,
      AvroSerde<SearchSpec> serde,
      Map<String, String> clientSettings,
      int kept) {
    this.bootstrapServers = bootstrapServers;
    this.clientSettings = Map.copyOf(clientSettings);
    this.reader = new TopicReader(bootstrapServers, clientSettings);
    this.serde = serde;
    this.specs = new RecentlyUsed<>(kept);
  }

  /**
   * The spec of a search, or null when the searches topics, read to their end, do not have it after
   * {@code wait}. While Kafka or the schema registry cannot be reached it keeps trying (a restart
   * must not turn good samples into failures); {@code stopping} ends the wait early.
   */
  synchronized SearchSpec find(
      String team, String searchId, Duration wait, java.util.function.BooleanSupplier stopping) {
    Key key = new Key(team, searchId);
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      ConsumerRecord<String, byte[]> pending = undecoded.remove(key);
      if (pending != null) {
        add(pending);
      }
      SearchSpec spec = known(key);
      if (spec != null || stopping.getAsBoolean()) {
        return spec;
      }
      boolean caughtUp = false;
      try {
        caughtUp = catchUp(deadline);
      } catch (org.apache.kafka.common.KafkaException e) {
        LOG.warn("cannot read the searches topics yet: {}", e.getMessage());
        sleep(500);
      }
      // A spec that only the registry's outage keeps unread is waited for, as Kafka is.
      if (caughtUp && System.nanoTime() > deadline && !undecoded.containsKey(key)) {
        return known(key);
      }
    }
  }

  /** Specs held decoded now (at most the bound). */
  synchronized long held() {
    return specs.size();
  }

  /** The spec kept decoded, or read again from where it is; null when none was read. */
  private SearchSpec known(Key key) {
    SearchSpec spec = specs.get(key);
    Position at = positions.get(key);
    if (spec != null || at == null) {
      return spec;
    }
    try (TopicReader once = new TopicReader(bootstrapServers, clientSettings)) {
      ConsumerRecord<String, byte[]> r = once.recordAt(at.partition(), at.offset(), MIN_READ);
      if (r != null) {
        add(r);
      }
    }
    return specs.get(key);
  }

  /** Reads the searches topics towards their end; true when it got there. */
  private boolean catchUp(long deadline) {
    reader.addMatching(Topics.SEARCHES_PATTERN, Duration.ofSeconds(5));
    if (reader.assigned().isEmpty()) {
      sleep(100);
      return System.nanoTime() > deadline;
    }
    long left = deadline + Duration.ofSeconds(30).toNanos() - System.nanoTime();
    return reader.readToEnd(this::add, Duration.ofNanos(Math.max(left, MIN_READ.toNanos())));
  }

  private void add(ConsumerRecord<String, byte[]> r) {
    try {
      SearchSpec spec = serde.deserialize(r.topic(), r.value());
      String team = Topics.teamOf(r.topic());
      if (spec != null && team.equals(spec.getTeam())) {
        Key key = new Key(team, spec.getSearchId());
        specs.put(key, spec);
        positions.put(key, new Position(new TopicPartition(r.topic(), r.partition()), r.offset()));
      } else if (spec != null) {
        LOG.warn(
            "search spec {} at {}-{}@{} names team '{}': not taken for team '{}'",
            spec.getSearchId(),
            r.topic(),
            r.partition(),
            r.offset(),
            spec.getTeam(),
            team);
      }
    } catch (RegistryUnavailableException e) {
      // The spec may be fine: a search must not fail for good on an outage of the registry.
      undecoded.put(new Key(Topics.teamOf(r.topic()), r.key()), r);
      LOG.warn(
          "search spec at {}-{}@{} not readable now, asked again when needed: {}",
          r.topic(),
          r.partition(),
          r.offset(),
          e.getMessage());
      sleep(200);
    } catch (RuntimeException e) {
      LOG.warn(
          "unreadable search spec at {}-{}@{} skipped: {}",
          r.topic(),
          r.partition(),
          r.offset(),
          e.getMessage());
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public synchronized void close() {
    reader.close();
  }
}
