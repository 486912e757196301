package org.fpnas.evaluator.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.fpnas.core.mbconv.MbConvSpace;
import org.fpnas.core.space.SearchSpace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointDirectoryTest {
  @TempDir Path dir;

  @Test
  void averagingTakesTheMeanOfOwnAndFreshOtherReplicas() throws Exception {
    SearchSpace space = Fixtures.fmnist();
    MbConvSpace mb = MbConvSpace.of(space);
    try (NDManager manager = NDManager.newBaseManager(DjlRuntime.device())) {
      // Three replicas that differ (different seeds stand in for different training).
      MbConvSupernet a = new MbConvSupernet(mb, 1).initialize(manager);
      MbConvSupernet b = new MbConvSupernet(mb, 2).initialize(manager);
      MbConvSupernet c = new MbConvSupernet(mb, 3).initialize(manager);
      CheckpointDirectory da = new CheckpointDirectory(dir, "s/1", "a", Duration.ofMinutes(10));
      CheckpointDirectory db = new CheckpointDirectory(dir, "s/1", "b", Duration.ofMinutes(10));
      CheckpointDirectory dc = new CheckpointDirectory(dir, "s/1", "c", Duration.ofMinutes(10));
      assertEquals(0, dc.averageInto(c, manager), "nobody published yet");
      da.publish(a, 5, true);
      db.publish(b, 7, false);
      float[] wa = a.parameterList().get(0).array().toFloatArray();
      float[] wb = b.parameterList().get(0).array().toFloatArray();
      float[] wc = c.parameterList().get(0).array().toFloatArray();
      assertEquals(2, dc.averageInto(c, manager));
      float[] avg = c.parameterList().get(0).array().toFloatArray();
      for (int i = 0; i < avg.length; i++) {
        assertEquals((wa[i] + wb[i] + wc[i]) / 3f, avg[i], 1e-6f);
      }
      // A stale file no longer counts.
      Path fileA = da.directory().resolve("a.ckpt");
      Files.setLastModifiedTime(
          fileA,
          java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
      assertEquals(1, dc.averageInto(c, manager));
      // A joiner reads the newest file, whatever its age: b's.
      var newest =
          new CheckpointDirectory(dir, "s/1", "d", Duration.ofMinutes(10))
              .newest(c, manager)
              .orElseThrow();
      assertEquals("b", newest.header().replicaId());
      assertEquals(7, newest.header().evaluations());
      // Files of another supernet are skipped, not fatal.
      SearchSpace other = Fixtures.space("fbnet-cifar.yaml");
      MbConvSupernet foreign = new MbConvSupernet(MbConvSpace.of(other), 1).initialize(manager);
      new CheckpointDirectory(dir, "s/1", "e", Duration.ofMinutes(10)).publish(foreign, 1, false);
      assertEquals(1, dc.averageInto(c, manager));
      assertTrue(List.of(Files.list(da.directory()).toArray()).size() >= 3);
    }
  }
}
