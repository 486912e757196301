package org.fpnas.bench.djl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import org.fpnas.core.space.Architecture;
import org.fpnas.evaluator.djl.FinalResult;

/**
 * From-scratch results kept in a file, one tab-separated line per training, keyed by the recipe and
 * the architecture. From-scratch training is deterministic (same recipe and architecture, same
 * accuracy to the last digit), so runs that compare supernet trainings train each architecture
 * once. No file: every lookup misses and nothing is written.
 */
final class ScratchResults {
  private final Path file;
  private final Map<String, String[]> known = new HashMap<>();

  private ScratchResults(Path file) {
    this.file = file;
  }

  /** Reads the file when it exists; null or blank: none. */
  static ScratchResults open(String file) {
    ScratchResults out = new ScratchResults(file == null || file.isBlank() ? null : Path.of(file));
    if (out.file != null && Files.exists(out.file)) {
      try {
        for (String line : Files.readAllLines(out.file, StandardCharsets.UTF_8)) {
          String[] f = line.split("\t");
          if (f.length == 8) {
            out.known.put(f[0] + "\t" + f[1], f);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the ground truth " + file, e);
      }
    }
    return out;
  }

  /** The result of this recipe on this architecture, or null when it was not trained. */
  FinalResult get(String recipe, String name, Architecture architecture) {
    String[] f = known.get(recipe + "\t" + architecture);
    return f == null
        ? null
        : new FinalResult(
            name,
            architecture,
            Long.parseLong(f[2]),
            Long.parseLong(f[3]),
            Integer.parseInt(f[4]),
            Double.parseDouble(f[5]),
            Double.parseDouble(f[6]),
            Double.parseDouble(f[7]),
            null);
  }

  /** Records a result (appended to the file, when there is one). */
  void put(String recipe, FinalResult r) {
    String[] f = {
      recipe,
      r.architecture().toString(),
      Long.toString(r.multiplyAdds()),
      Long.toString(r.parameters()),
      Integer.toString(r.epochs()),
      Double.toString(r.testAccuracy()),
      Double.toString(r.testLoss()),
      Double.toString(r.trainSeconds())
    };
    known.put(f[0] + "\t" + f[1], f);
    if (file != null) {
      try {
        Files.writeString(
            file,
            String.join("\t", f) + "\n",
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the ground truth " + file, e);
      }
    }
  }
}
