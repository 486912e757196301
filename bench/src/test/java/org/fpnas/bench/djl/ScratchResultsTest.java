package org.fpnas.bench.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import org.fpnas.core.space.Architecture;
import org.fpnas.evaluator.djl.FinalResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScratchResultsTest {
  private final Architecture a = Architecture.of(new int[][] {{1, 0}, {2}});
  private final Architecture b = Architecture.of(new int[][] {{0, 0}, {2}});

  @TempDir Path temp;

  @Test
  void aResultIsReadBackExactlyByRecipeAndArchitecture() {
    String file = temp.resolve("truth.tsv").toString();
    FinalResult trained = new FinalResult("x", a, 123_456, 789, 1, 0.1 + 0.2, 1.0 / 3, 12.5, null);
    ScratchResults.open(file).put("seed=0", trained);
    ScratchResults again = ScratchResults.open(file);
    assertEquals(
        new FinalResult("uniform 3", a, 123_456, 789, 1, 0.1 + 0.2, 1.0 / 3, 12.5, null),
        again.get("seed=0", "uniform 3", a));
    assertNull(again.get("seed=1", "uniform 3", a), "another recipe");
    assertNull(again.get("seed=0", "uniform 3", b), "another architecture");
  }

  @Test
  void withoutAFileNothingIsKeptBetweenRuns() {
    ScratchResults none = ScratchResults.open("");
    none.put("seed=0", new FinalResult("x", a, 1, 1, 1, 0.5, 1, 1, null));
    assertEquals(0.5, none.get("seed=0", "x", a).testAccuracy());
    assertNull(ScratchResults.open("").get("seed=0", "x", a));
  }
}
