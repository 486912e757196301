package org.fpnas.evaluator.worker;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
 */
public final class SpecCatalog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SpecCatalog.class);

  /** The least time a catch-up is given, however late: enough to ask the brokers for the ends. */
  private static final Duration MIN_READ = Duration.ofSeconds(5);

  private final TopicReader reader;
  private final AvroSerde<SearchSpec> serde;
  private final Map<Key, SearchSpec> specs = new HashMap<>();

  /** Specs read while the schema registry was down, decoded again when asked for. */
  private final Map<Key, ConsumerRecord<String, byte[]>> undecoded = new HashMap<>();

  private record Key(String team, String searchId) {}

  public SpecCatalog(
      String bootstrapServers, AvroSerde<SearchSpec> serde, Map<String, String> clientSettings) {
    this.reader = new TopicReader(bootstrapServers, clientSettings);
    this.serde = serde;
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
      SearchSpec spec = specs.get(key);
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
        return specs.get(key);
      }
    }
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
        specs.put(new Key(team, spec.getSearchId()), spec);
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
