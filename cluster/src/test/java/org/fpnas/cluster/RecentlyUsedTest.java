package org.fpnas.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RecentlyUsedTest {
  @Test
  void theLeastRecentlyUsedGoesHoweverOftenItWasUsedBefore() {
    RecentlyUsed<String, Integer> m = new RecentlyUsed<>(2);
    m.put("old", 1);
    for (int i = 0; i < 100; i++) {
      m.get("old"); // busy once, long ago
    }
    m.put("a", 2);
    m.put("b", 3); // "old" was used before "a": it goes
    assertNull(m.get("old"));
    assertEquals(2, m.get("a"));
    m.put("c", 4); // "b" is now the least recently used
    assertNull(m.get("b"));
    assertEquals(2, m.size());
    assertEquals(5, m.computeIfAbsent("d", k -> 5));
    assertEquals(5, m.computeIfAbsent("d", k -> 6), "kept, not derived again");
  }

  @Test
  void aCapacityBelowOneIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new RecentlyUsed<String, String>(0));
  }
}
