package org.fpnas.evaluator.classic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FairQueueTest {
  @Test
  void aSmallTeamIsServedAtOnceBehindABigTeamsBacklog() {
    FairQueue<String> q = new FairQueue<>(true, team -> 1.0);
    for (int i = 0; i < 64; i++) {
      q.add("a", "a/s1", "a" + i);
    }
    q.next();
    for (int i = 0; i < 4; i++) {
      q.add("b", "b/s1", "b" + i);
    }
    List<String> order = drain(q);
    // b rejoins with a bounded credit: its four samples go first, not behind 63 nor alternating
    // with them.
    assertEquals(List.of("b0", "b1", "b2", "b3", "a1", "a2"), order.subList(0, 6));
  }

  @Test
  void theIdleCreditIsBoundedAndDoesNotAccumulate() {
    FairQueue<String> q = new FairQueue<>(true, team -> 1.0);
    for (int i = 0; i < 64; i++) {
      q.add("a", "a/s1", "a" + i);
    }
    for (int i = 0; i < 10; i++) {
      q.next(); // b idle for a long time
    }
    for (int i = 0; i < 12; i++) {
      q.add("b", "b/s1", "b" + i);
    }
    List<String> order = drain(q);
    // Four (the credit) plus one (the tie at the current time) ahead, then b and a alternate.
    assertEquals(
        List.of("b0", "b1", "b2", "b3", "b4", "a10", "b5", "a11", "b6"), order.subList(0, 9));
  }

  @Test
  void arrivalOrderIsTheBaseline() {
    FairQueue<String> q = new FairQueue<>(false, team -> 1.0);
    for (int i = 0; i < 8; i++) {
      q.add("a", "a/s1", "a" + i);
    }
    q.add("b", "b/s1", "b0");
    List<String> order = drain(q);
    assertEquals("b0", order.get(8));
  }

  @Test
  void weightsShareTheServiceBetweenBusyTeams() {
    Map<String, Double> weights = Map.of("a", 3.0, "b", 1.0);
    FairQueue<String> q = new FairQueue<>(true, weights::get);
    for (int i = 0; i < 400; i++) {
      q.add("a", "a/s", "a");
      q.add("b", "b/s", "b");
    }
    List<String> first = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      first.add(q.next().item());
    }
    long a = first.stream().filter("a"::equals).count();
    assertEquals(300, a, 2, "a gets three quarters of the service while both are busy");
  }

  @Test
  void searchesOfATeamShareItsService() {
    FairQueue<String> q = new FairQueue<>(true, team -> 1.0);
    for (int i = 0; i < 10; i++) {
      q.add("a", "a/big", "big");
    }
    q.add("a", "a/small", "small");
    List<String> order = drain(q);
    assertTrue(
        order.indexOf("small") <= 1, "the small search is not queued behind the big one: " + order);
  }

  @Test
  void removedEntriesLeaveTheRestInOrder() {
    FairQueue<String> q = new FairQueue<>(true, team -> 1.0);
    q.add("a", "a/s", "a0");
    q.add("a", "a/s", "x1");
    q.add("a", "a/s", "a2");
    assertEquals(List.of("x1"), q.removeIf(s -> s.startsWith("x")));
    assertEquals(2, q.size());
    assertEquals(List.of("a0", "a2"), drain(q));
    assertNull(q.next());
  }

  private static List<String> drain(FairQueue<String> q) {
    List<String> out = new ArrayList<>();
    FairQueue.Entry<String> e;
    while ((e = q.next()) != null) {
      out.add(e.item());
    }
    return out;
  }
}
