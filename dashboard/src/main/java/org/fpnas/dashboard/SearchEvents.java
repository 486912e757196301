package org.fpnas.dashboard;

import io.javalin.http.sse.SseClient;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Server-sent events: which searches changed, sent to every open page at most once per interval (a
 * search with many evaluations changes with each result; the page fetches what it shows).
 */
final class SearchEvents implements AutoCloseable {
  /**
   * How often every stream gets a comment: a page that went away is only noticed when a write to it
   * fails.
   */
  private static final long HEARTBEAT_MS = 10_000;

  private final Duration interval;
  private long lastHeartbeat = System.nanoTime();
  private final Map<SseClient, TeamScope> clients = new ConcurrentHashMap<>();
  private final Set<String> changed = new LinkedHashSet<>();
  private final ScheduledExecutorService sender =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "fpnas-dashboard-events");
            t.setDaemon(true);
            return t;
          });

  SearchEvents(Duration interval) {
    this.interval = interval;
  }

  void start() {
    sender.scheduleWithFixedDelay(
        this::flush, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** A record changed the search. */
  void changed(String team, String searchId) {
    synchronized (changed) {
      changed.add(team + "/" + searchId);
    }
  }

  /**
   * A page opened the event stream; it hears of the searches its scope sees, and stays open until
   * the page goes or the scope's login ends.
   */
  void join(SseClient client, TeamScope scope) {
    client.keepAlive();
    client.onClose(() -> clients.remove(client));
    clients.put(client, scope);
    client.sendComment("connected");
  }

  int clients() {
    return clients.size();
  }

  private void flush() {
    if (System.nanoTime() - lastHeartbeat > HEARTBEAT_MS * 1_000_000) {
      lastHeartbeat = System.nanoTime();
      clients.forEach(
          (c, scope) -> {
            if (!scope.open()) {
              c.close();
            } else {
              c.sendComment("heartbeat");
            }
            if (c.terminated()) {
              clients.remove(c);
            }
          });
    }
    String[] batch;
    synchronized (changed) {
      batch = changed.toArray(String[]::new);
      changed.clear();
    }
    for (String key : batch) {
      int slash = key.indexOf('/');
      String team = key.substring(0, slash);
      String data =
          "{\"team\":\""
              + team
              + "\",\"searchId\":\""
              + jsonEscape(key.substring(slash + 1))
              + "\"}";
      clients.forEach(
          (c, scope) -> {
            if (c.terminated()) {
              clients.remove(c);
            } else if (scope.sees(team)) {
              c.sendEvent("search", data);
            }
          });
    }
  }

  private static String jsonEscape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  @Override
  public void close() {
    // The server closes the streams when it stops; closing them here as well races with it.
    sender.shutdownNow();
    clients.clear();
  }
}
