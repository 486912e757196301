package org.fpnas.client.history;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.fpnas.cluster.TopicReader;
import org.fpnas.schemas.SchemaStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A team's history kept up to date: follows its searches, distributions, admissions and evaluations
 * from the beginning and without end, folding each record in as {@link SearchHistory} does (a
 * result on another partition than its search's is skipped there too), and says which search
 * changed. Reads without a consumer group, committed records only.
 */
public final class LiveHistory implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LiveHistory.class);
  private static final Duration POLL = Duration.ofMillis(200);

  private final String team;
  private final SearchRecords records;
  private final Map<String, SearchLog> built = new HashMap<>();
  private final TopicReader reader;
  private final Consumer<String> onChange;
  private final Thread thread;
  private volatile boolean stopping;
  private volatile RuntimeException failure;
  private volatile long recordsRead;

  private LiveHistory(
      String bootstrapServers,
      SchemaStore schemas,
      String team,
      Map<String, String> clientSettings,
      Consumer<String> onChange) {
    this.team = Objects.requireNonNull(team, "team");
    this.records = new SearchRecords(schemas, team);
    this.reader = new TopicReader(bootstrapServers, clientSettings);
    this.onChange = Objects.requireNonNull(onChange, "onChange");
    this.thread = new Thread(this::run, "fpnas-live-history-" + team);
    thread.setDaemon(true);
  }

  /**
   * Starts following the team's topics; {@code onChange} hears the id of every search a record
   * changed.
   */
  public static LiveHistory start(
      String bootstrapServers,
      SchemaStore schemas,
      String team,
      Map<String, String> clientSettings,
      Consumer<String> onChange) {
    LiveHistory h = new LiveHistory(bootstrapServers, schemas, team, clientSettings, onChange);
    h.thread.start();
    return h;
  }

  public String team() {
    return team;
  }

  /** Why following stopped (the broker refused the topics, say), or null while it runs. */
  public RuntimeException failure() {
    return failure;
  }

  /** Records read so far. */
  public long recordsRead() {
    return recordsRead;
  }

  /** The searches as read so far. */
  public SearchHistory snapshot() {
    synchronized (records) {
      Map<String, SearchLog> logs = new LinkedHashMap<>();
      records.logs().keySet().forEach(id -> logs.put(id, cached(id)));
      return SearchHistory.of(logs);
    }
  }

  /** One search as read so far. */
  public Optional<SearchLog> search(String searchId) {
    synchronized (records) {
      return Optional.ofNullable(cached(searchId));
    }
  }

  private SearchLog cached(String searchId) {
    SearchLog log = built.get(searchId);
    if (log == null) {
      log = records.log(searchId);
      if (log != null) {
        built.put(searchId, log);
      }
    }
    return log;
  }

  private void run() {
    try {
      String evaluations = records.topics().evaluations();
      int evaluationPartitions = reader.partitionCount(evaluations, Duration.ofSeconds(30));
      reader.assignFromBeginning(
          SearchHistory.topics(reader, records.topics(), true), Duration.ofSeconds(30));
      while (!stopping) {
        List<ConsumerRecord<String, byte[]>> batch = reader.poll(POLL);
        if (batch.isEmpty()) {
          continue;
        }
        Set<String> changed = new LinkedHashSet<>();
        synchronized (records) {
          for (ConsumerRecord<String, byte[]> r : batch) {
            // As SearchHistory: the aggregator used the copy it forwarded, so must the history.
            if (r.topic().equals(evaluations) && SearchHistory.misplaced(r, evaluationPartitions)) {
              continue;
            }
            String id = records.add(r);
            if (id != null) {
              changed.add(id);
              built.remove(id);
            }
          }
          recordsRead += batch.size();
        }
        changed.forEach(this::notifyChange);
      }
    } catch (WakeupException e) {
      if (!stopping) {
        failure = new IllegalStateException("following team " + team + " was interrupted", e);
      }
    } catch (RuntimeException e) {
      failure = e;
      LOG.warn("stopped following team {}: {}", team, e.toString());
    } finally {
      reader.close();
    }
  }

  private void notifyChange(String searchId) {
    try {
      onChange.accept(searchId);
    } catch (RuntimeException e) {
      LOG.warn("a listener of team {} failed on search {}: {}", team, searchId, e.toString());
    }
  }

  @Override
  public void close() {
    stopping = true;
    reader.wakeup();
    try {
      thread.join(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
