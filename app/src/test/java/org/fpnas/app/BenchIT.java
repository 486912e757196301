package org.fpnas.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fpnas.bench.Bench;
import org.fpnas.bench.run.BenchRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code fpnas bench --quick} end to end (it starts its own embedded broker): every benchmark is
 * reported, on standard output, in BENCHMARKS.md and as a CSV with its header and rows. Checks
 * completeness, never speed.
 */
class BenchIT {
  @Test
  void theQuickBenchReportsEveryBenchmarkInEveryForm(@TempDir Path dir) throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new BenchCommand());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute("--quick", "--output", dir.toString());
    System.out.println(out); // into the failsafe report, for when an assertion below fails
    assertEquals(0, exit, "exit code; errors:\n" + err);

    String md = Files.readString(dir.resolve("BENCHMARKS.md"));
    assertTrue(md.contains("fpnas bench --quick --output"), "the command that produced it");
    assertTrue(
        md.contains("## Machine") && md.contains("| cores | ") && md.contains("| JVM | "), md);
    List<Bench> benches = BenchRunner.all();
    for (int i = 0; i < benches.size(); i++) {
      Bench b = benches.get(i);
      assertTrue(
          md.contains("## " + (i + 1) + ". " + b.title() + " (`" + b.name() + "`)"),
          "section of " + b.name());
      assertTrue(
          out.toString().contains("== " + (i + 1) + ". " + b.title() + " (" + b.name()),
          "table of " + b.name());

      List<String> lines = Files.readAllLines(dir.resolve(b.name() + ".csv"));
      assertTrue(lines.get(0).startsWith("# fpnas bench: " + b.name()), lines.get(0));
      assertTrue(
          lines.stream().anyMatch(l -> l.startsWith("# machine: ")),
          b.name() + " names the machine");
      assertTrue(
          lines.stream().anyMatch(l -> l.startsWith("# repetitions: ")),
          b.name() + " names its repetitions");
      List<String> records = lines.stream().filter(l -> !l.startsWith("#")).toList();
      assertTrue(records.size() >= 2, b.name() + " has a header and rows: " + records);
      int columns = records.get(0).split(",", -1).length;
      assertTrue(
          records.stream().noneMatch(r -> r.contains("FAILED")), b.name() + " failed: " + records);
      if (!b.name().equals("djl-evaluator")) {
        // Every benchmark but the DJL one (skipped where the evaluator or its data is missing)
        // measures something.
        assertTrue(
            columns > 1 && !records.get(1).startsWith("skipped"), b.name() + " ran: " + records);
      }
    }
  }
}
