package org.fpnas.evaluator.djl;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.fpnas.core.space.Architecture;
import org.fpnas.evaluator.api.EvaluationRequest;
import org.fpnas.evaluator.api.Measurement;

/**
 * The supernet replicas of one evaluator service, by search: its worker threads share them, so a
 * process holds one replica per search however many workers it runs. Keeps the most recently used
 * few (each holds native memory) and closes the rest.
 */
final class ReplicaPool {
  private final Path checkpointRoot;
  private final Duration staleAfter;
  private final int capacity;
  private final String replicaPrefix = UUID.randomUUID().toString().substring(0, 8);
  private final Map<String, SearchReplica> replicas = new LinkedHashMap<>(16, 0.75f, true);
  private int users;

  ReplicaPool(Path checkpointRoot, Duration staleAfter, int capacity) {
    this.checkpointRoot = checkpointRoot;
    this.staleAfter = staleAfter;
    this.capacity = capacity;
  }

  synchronized ReplicaPool retain() {
    users++;
    return this;
  }

  /**
   * Evaluates on the search's replica, creating it first if needed; one evaluation per replica at a
   * time.
   */
  Measurement evaluate(EvaluationRequest request, DjlSettings settings) {
    while (true) {
      SearchReplica replica = replica(request, settings);
      synchronized (replica) {
        if (!isOpen(request.searchId(), replica)) {
          continue; // evicted meanwhile: take a fresh one
        }
        return replica.evaluate(request);
      }
    }
  }

  /**
   * Scores an architecture on the held-out images with a search's replica as trained so far.
   *
   * @throws IllegalStateException when this process holds no replica of the search
   */
  HeldOutScore scoreHeldOut(String searchId, Architecture architecture, int maxBatches) {
    SearchReplica replica = replica(searchId);
    if (replica == null) {
      throw new IllegalStateException(
          "no supernet of search "
              + searchId
              + " in this process: it is made by the search's first evaluation (or was evicted)");
    }
    synchronized (replica) {
      return replica.scoreHeldOut(architecture, maxBatches);
    }
  }

  /** The replica of a search, or null. */
  synchronized SearchReplica replica(String searchId) {
    return replicas.get(searchId);
  }

  private synchronized boolean isOpen(String searchId, SearchReplica replica) {
    return replicas.get(searchId) == replica;
  }

  private synchronized SearchReplica replica(EvaluationRequest request, DjlSettings settings) {
    SearchReplica replica = replicas.get(request.searchId());
    if (replica == null) {
      replica =
          new SearchReplica(
              request.searchId(),
              request.seed(),
              request.space(),
              settings,
              checkpointRoot,
              replicaPrefix + "-" + ProcessHandle.current().pid(),
              staleAfter);
      replicas.put(request.searchId(), replica);
      evictBeyondCapacity();
    }
    return replica;
  }

  private void evictBeyondCapacity() {
    Iterator<Map.Entry<String, SearchReplica>> it = replicas.entrySet().iterator();
    while (replicas.size() > capacity && it.hasNext()) {
      SearchReplica eldest = it.next().getValue();
      it.remove();
      closeLater(eldest);
    }
  }

  /** Closes a replica once no evaluation runs on it (its monitor is free). */
  private static void closeLater(SearchReplica replica) {
    Thread t =
        new Thread(
            () -> {
              synchronized (replica) {
                replica.close();
              }
            },
            "fpnas-close-replica");
    t.setDaemon(true);
    t.start();
  }

  /** Drops one user; the last one closes every replica. */
  void release() {
    java.util.List<SearchReplica> toClose;
    synchronized (this) {
      if (--users > 0) {
        return;
      }
      toClose = java.util.List.copyOf(replicas.values());
      replicas.clear();
    }
    for (SearchReplica r : toClose) {
      synchronized (r) {
        r.close();
      }
    }
  }
}
