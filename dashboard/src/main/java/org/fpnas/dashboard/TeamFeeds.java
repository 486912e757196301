package org.fpnas.dashboard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.fpnas.client.SearchCatalogue;
import org.fpnas.client.history.LiveHistory;
import org.fpnas.client.history.SearchLog;
import org.fpnas.schemas.SchemaStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live histories of every team the dashboard's principal can see: the broker lists only the
 * topics it may describe, and a team whose topics it may not read is dropped, so the dashboard
 * shows what the broker lets it read and nothing else. New teams are found every few seconds.
 */
final class TeamFeeds implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TeamFeeds.class);

  private final String bootstrapServers;
  private final SchemaStore schemas;
  private final Map<String, String> clientSettings;
  private final BiConsumer<String, String> onChange;
  private final Map<String, LiveHistory> feeds = new TreeMap<>();
  private final ScheduledExecutorService discovery =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "fpnas-dashboard-teams");
            t.setDaemon(true);
            return t;
          });

  /** {@code onChange} hears (team, searchId) for every record that changed a search. */
  TeamFeeds(
      String bootstrapServers,
      SchemaStore schemas,
      Map<String, String> clientSettings,
      BiConsumer<String, String> onChange) {
    this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    this.schemas = Objects.requireNonNull(schemas, "schemas");
    this.clientSettings = Map.copyOf(clientSettings);
    this.onChange = Objects.requireNonNull(onChange, "onChange");
  }

  /** Finds the teams now and then every {@code every}. */
  TeamFeeds start(Duration every) {
    refresh();
    discovery.scheduleWithFixedDelay(
        this::refresh, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  private void refresh() {
    try {
      for (String team : SearchCatalogue.teams(bootstrapServers, clientSettings)) {
        synchronized (feeds) {
          LiveHistory feed = feeds.get(team);
          if (feed != null && feed.failure() != null && !refused(feed)) {
            feed.close(); // stopped on a passing problem (a topic not yet created, say): start
            // again
            feeds.remove(team);
          }
          feeds.computeIfAbsent(
              team,
              t ->
                  LiveHistory.start(
                      bootstrapServers, schemas, t, clientSettings, id -> onChange.accept(t, id)));
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("cannot list the teams' topics: {}", e.toString());
    }
  }

  /** The teams whose topics are being read (not those the broker refused). */
  List<String> teams() {
    List<String> out = new ArrayList<>();
    synchronized (feeds) {
      feeds.forEach(
          (team, feed) -> {
            if (!refused(feed)) {
              out.add(team);
            }
          });
    }
    return out;
  }

  /** Every visible team's searches. */
  List<SearchLog> searches() {
    List<SearchLog> out = new ArrayList<>();
    for (LiveHistory feed : visible()) {
      out.addAll(feed.snapshot().searches());
    }
    return out;
  }

  Optional<SearchLog> search(String team, String searchId) {
    LiveHistory feed;
    synchronized (feeds) {
      feed = feeds.get(team);
    }
    return feed == null || refused(feed) ? Optional.empty() : feed.search(searchId);
  }

  /** Records read so far over every team. */
  long recordsRead() {
    return visible().stream().mapToLong(LiveHistory::recordsRead).sum();
  }

  private List<LiveHistory> visible() {
    synchronized (feeds) {
      return feeds.values().stream().filter(f -> !refused(f)).toList();
    }
  }

  private static boolean refused(LiveHistory feed) {
    return feed.failure() instanceof TopicAuthorizationException;
  }

  @Override
  public void close() {
    discovery.shutdownNow();
    synchronized (feeds) {
      feeds.values().forEach(LiveHistory::close);
      feeds.clear();
    }
  }
}
