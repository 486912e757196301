package org.fpnas.controller.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.fpnas.schemas.SampleIds;
import org.fpnas.schemas.Topics;
import org.junit.jupiter.api.Test;

class SamplePlacementTest {
  private static final int P = 16;
  private final SamplePlacement placement = new SamplePlacement();
  private final String samples = Topics.forTeam("vision").samples();

  @Test
  void anIterationOf32SamplesPutsTwoOnEveryOneOf16Partitions() {
    for (String search : new String[] {"s-1", "s-5c4bf11688e3", "another"}) {
      for (int t = 0; t < 20; t++) {
        int[] perPartition = new int[P];
        for (int k = 0; k < 32; k++) {
          perPartition[SamplePlacement.partition(search, t, k, P)]++;
        }
        for (int p = 0; p < P; p++) {
          assertEquals(2, perPartition[p], search + " iteration " + t + " partition " + p);
        }
      }
    }
  }

  @Test
  void anIterationOfAnyKPutsAtMostCeilKOverPOnAPartition() {
    for (int k = 1; k <= 50; k++) {
      int[] perPartition = new int[P];
      for (int i = 0; i < k; i++) {
        perPartition[SamplePlacement.partition("s-x", 3, i, P)]++;
      }
      int ceil = (k + P - 1) / P;
      for (int p = 0; p < P; p++) {
        assertTrue(
            perPartition[p] == ceil || perPartition[p] == k / P,
            "K=" + k + ": partition " + p + " has " + perPartition[p]);
      }
    }
  }

  @Test
  void theFirstPartitionOfAnIterationMovesWithSearchAndIteration() {
    Set<Integer> firsts = new HashSet<>();
    for (int t = 0; t < 32; t++) {
      firsts.add(SamplePlacement.partition("s-rotating", t, 0, P));
    }
    for (int s = 0; s < 32; s++) {
      firsts.add(SamplePlacement.partition("s-" + s, 0, 0, P));
    }
    assertTrue(firsts.size() >= 8, "small iterations start on many partitions: " + firsts);
  }

  @Test
  void aSampleIdOnASamplesTopicGoesWherePartitionSays() {
    for (int k = 0; k < 40; k++) {
      String key = SampleIds.of("s-abc", 7, k);
      assertEquals(
          Optional.of(Set.of(SamplePlacement.partition("s-abc", 7, k, P))),
          placement.partitions(samples, key, null, P),
          key);
      assertEquals(
          placement.partitions(samples, key, null, P),
          placement.partitions(samples, key, null, P),
          "the same sample, dispatched again, lands on the same partition");
    }
  }

  @Test
  void otherTopicsAndKeysThatAreNoSampleIdKeepTheDefaultPartitioner() {
    Topics vision = Topics.forTeam("vision");
    assertEquals(Optional.empty(), placement.partitions(vision.dlq(), "s-abc/1/2", null, P));
    assertEquals(Optional.empty(), placement.partitions(vision.admissions(), "s-abc", null, P));
    assertEquals(Optional.empty(), placement.partitions(samples, "s-abc", null, P));
    assertEquals(Optional.empty(), placement.partitions(samples, "s-abc/x/2", null, P));
    assertEquals(Optional.empty(), placement.partitions(samples, "/1/2", null, P));
    assertEquals(Optional.empty(), placement.partitions(samples, null, null, P));
  }

  @Test
  void badArgumentsAreRefusedWithTheirValue() {
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> SamplePlacement.partition("s", 0, 0, 0))
            .getMessage()
            .contains("got 0"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> SamplePlacement.partition("s", -1, 0, P))
            .getMessage()
            .contains("-1"));
  }
}
