package org.fpnas.cluster;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A map of the entries used last, at most {@code capacity}: putting one more forgets the least
 * recently used. For what a service derives per search and needs while the search runs (a spec, a
 * parsed space, a decoded distribution): recency is what counts there, and a frequency-based cache
 * (Caffeine's admission) turned away a new search's entries in favour of older, busier ones, so
 * that every sample of the new search paid the derivation again. Thread-safe.
 */
public final class RecentlyUsed<K, V> {
  private final Map<K, V> entries;

  public RecentlyUsed(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    this.entries =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
            return size() > capacity;
          }
        };
  }

  /** The entry, now the most recently used; null when there is none. */
  public synchronized V get(K key) {
    return entries.get(key);
  }

  /** The entry, derived and kept when there is none (under this map's lock). */
  public synchronized V computeIfAbsent(K key, Function<? super K, ? extends V> derive) {
    return entries.computeIfAbsent(key, derive);
  }

  public synchronized void put(K key, V value) {
    entries.put(key, value);
  }

  public synchronized void remove(K key) {
    entries.remove(key);
  }

  public synchronized int size() {
    return entries.size();
  }
}
