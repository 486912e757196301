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
import org.fpnas.cluster.RecentlyUsed;
import org.fpnas.cluster.TopicReader;
import org.fpnas.schemas.SchemaStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A team's history kept up to date: follows its searches, distributions, admissions and evaluations
 * from the beginning and without end, folding each record in as {@link SearchHistory} does (a
 * result on another partition than its search's is skipped there too), and says which search
 * changed. Reads without a consumer group, committed records only.
 *
 * <p>Its memory is bounded by what runs, not by what ran: the whole records of running searches and
 * of the {@value #ENDED_KEPT} that ended last are kept; of a search that ended before, a summary
 * ({@link SearchLog#summaryOf}), and {@link #search} reads its whole log again from the topics when
 * asked (the last few so read are kept).
 */
public final class LiveHistory implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LiveHistory.class);
  private static final Duration POLL = Duration.ofMillis(200);

  /** Ended searches whose whole records are kept. */
  static final int ENDED_KEPT = 100;

  /** Whole logs of ended searches read again from the topics, kept. */
  private static final int WHOLE_KEPT = 8;

  private final String bootstrapServers;
  private final SchemaStore schemas;
  private final Map<String, String> clientSettings;
  private final int endedKept;
  private final RecentlyUsed<String, SearchLog> whole = new RecentlyUsed<>(WHOLE_KEPT);
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
      Consumer<String> onChange,
      int endedKept) {
    this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    this.schemas = Objects.requireNonNull(schemas, "schemas");
    this.clientSettings = Map.copyOf(clientSettings);
    this.endedKept = endedKept;
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
    return start(bootstrapServers, schemas, team, clientSettings, onChange, ENDED_KEPT);
  }

  static LiveHistory start(
      String bootstrapServers,
      SchemaStore schemas,
      String team,
      Map<String, String> clientSettings,
      Consumer<String> onChange,
      int endedKept) {
    if (endedKept < 0) {
      throw new IllegalArgumentException("ended searches kept must be 0 or more, got " + endedKept);
    }
    LiveHistory h =
        new LiveHistory(bootstrapServers, schemas, team, clientSettings, onChange, endedKept);
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

  /** The searches as read so far; those that ended long ago as summaries. */
  public SearchHistory snapshot() {
    synchronized (records) {
      Map<String, SearchLog> logs = new LinkedHashMap<>();
      records.logs().keySet().forEach(id -> logs.put(id, cached(id)));
      return SearchHistory.of(logs);
    }
  }

  /** One search's whole log as read so far (read again from the topics if it ended long ago). */
  public Optional<SearchLog> search(String searchId) {
    SearchLog log;
    synchronized (records) {
      log = cached(searchId);
    }
    if (log == null || log.summary() == null) {
      return Optional.ofNullable(log);
    }
    return Optional.of(
        whole.computeIfAbsent(
            searchId,
            id ->
                SearchHistory.readOne(bootstrapServers, schemas, team, id, clientSettings)
                    .orElseThrow(
                        () ->
                            new IllegalStateException(
                                "search "
                                    + id
                                    + " of team "
                                    + team
                                    + " is no longer on its topics"))));
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
          records.retire(endedKept).forEach(built::remove);
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
