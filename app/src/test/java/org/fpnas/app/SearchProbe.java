package org.fpnas.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.fpnas.client.history.SearchWatcher;
import org.fpnas.schemas.SchemaStore;
import org.fpnas.schemas.avro.DistributionUpdate;

/**
 * Follows a search in the background, so a test can act at a given iteration and collect the whole
 * trajectory.
 */
final class SearchProbe {
  private final List<DistributionUpdate> updates = new ArrayList<>();
  private final CompletableFuture<DistributionUpdate> done;

  SearchProbe(
      String bootstrapServers,
      SchemaStore schemas,
      String team,
      String searchId,
      Duration timeout) {
    done =
        CompletableFuture.supplyAsync(
            () ->
                SearchWatcher.follow(
                    bootstrapServers,
                    schemas,
                    team,
                    searchId,
                    Map.of(),
                    u -> {
                      synchronized (updates) {
                        updates.add(u);
                        updates.notifyAll();
                      }
                    },
                    timeout));
  }

  /** Waits until the search has published the distribution of this iteration. */
  void awaitIteration(int iteration, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (updates) {
      while (updates.isEmpty() || updates.get(updates.size() - 1).getIteration() < iteration) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0 || done.isDone()) {
          throw new AssertionError(
              "search did not reach iteration "
                  + iteration
                  + " (at "
                  + (updates.isEmpty() ? "none" : updates.get(updates.size() - 1).getIteration())
                  + ")");
        }
        try {
          updates.wait(Math.min(left, 200));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted");
        }
      }
    }
  }

  /** Every distribution of the search, once it is done. */
  List<DistributionUpdate> awaitDone() {
    done.join();
    synchronized (updates) {
      return List.copyOf(updates);
    }
  }
}
