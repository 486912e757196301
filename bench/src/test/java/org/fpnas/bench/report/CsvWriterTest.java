package org.fpnas.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvWriterTest {
  private static final Machine MACHINE =
      new Machine(2, 8L << 30, 2L << 30, "Test JVM 17", "Linux (amd64)", "Test CPU", 0.5);

  private static Section section() {
    Table table =
        new Table()
            .column("method")
            .column("K")
            .summaryColumn("wall (s)", 2)
            .column("note")
            .row("FP-NAS, adaptive", 32, Summary.of(new double[] {1.5, 1.25, 2.0}), "said \"fast\"")
            .row("PARSEC", 8, 3.0, "");
    return new Section(
        "demo-bench",
        "Demo",
        "How.",
        Map.of("budget", "100 samples"),
        3,
        table,
        List.of("A finding."));
  }

  @Test
  void theCsvStartsWithCommentsNamingTheMachineSettingsAndRepetitions() {
    List<String> lines = CsvWriter.csv(section(), MACHINE, "fpnas bench --quick").lines().toList();
    assertEquals("# fpnas bench: demo-bench (Demo)", lines.get(0));
    assertEquals("# command: fpnas bench --quick", lines.get(1));
    assertTrue(lines.get(2).startsWith("# machine: 2 cores, 8.0 GiB memory"), lines.get(2));
    assertEquals("# repetitions: 3", lines.get(3));
    assertEquals("# setting budget: 100 samples", lines.get(4));
  }

  @Test
  void summaryColumnsExpandIntoMedianMinAndMaxUnrounded() {
    List<String> lines =
        CsvWriter.csv(section(), MACHINE, "fpnas bench")
            .lines()
            .filter(l -> !l.startsWith("#"))
            .toList();
    assertEquals("method,k,wall_s_median,wall_s_min,wall_s_max,note", lines.get(0));
    assertEquals("\"FP-NAS, adaptive\",32,1.5,1.25,2,\"said \"\"fast\"\"\"", lines.get(1));
    assertEquals("PARSEC,8,3,3,3,", lines.get(2));
    assertEquals(3, lines.size());
  }

  @Test
  void writesTheFileNamedAfterTheBenchmark(@TempDir Path dir) throws Exception {
    Path file = CsvWriter.write(dir, section(), MACHINE, "fpnas bench");
    assertEquals(dir.resolve("demo-bench.csv"), file);
    assertTrue(Files.readString(file).contains("PARSEC,8,3,3,3,"));
  }

  @Test
  void cellsThatWouldBreakARecordAreQuoted() {
    assertEquals("plain", CsvWriter.quoted("plain"));
    assertEquals("\"a,b\"", CsvWriter.quoted("a,b"));
    assertEquals("\"line\nbreak\"", CsvWriter.quoted("line\nbreak"));
    assertEquals("\"#not a comment\"", CsvWriter.quoted("#not a comment"));
  }

  @Test
  void peopleSeeTheMedianWithItsRangeAndCsvSeesInfinityAsInf() {
    Table t = new Table().summaryColumn("samples", 0).column("regret", 3);
    t.row(Summary.of(new double[] {900, 1000, Double.POSITIVE_INFINITY}), 0.12345);
    assertEquals(List.of("1000 (900–inf)", "0.123"), t.shownRows().get(0));
    assertEquals(List.of("1000", "900", "inf", "0.12345"), t.csvRows().get(0));
    assertTrue(
        t.markdown().startsWith("| samples | regret |\n|---:|---:|\n| 1000 (900–inf) | 0.123 |"),
        t.markdown());
  }

  @Test
  void aRowMustFitTheColumns() {
    Table t = new Table().column("a").column("b");
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> t.row("only one"))
            .getMessage()
            .contains("2 cells"));
    assertThrows(IllegalArgumentException.class, () -> t.row("a", List.of()));
  }

  @Test
  void theMarkdownReportHasTheMachineAndEverySection() {
    String md =
        MarkdownReport.markdown(
            "fpnas bench --quick",
            MACHINE,
            java.time.Instant.EPOCH,
            java.time.Duration.ofSeconds(90),
            List.of(section()));
    assertTrue(md.contains("## Machine"), md);
    assertTrue(md.contains("| cores | 2 |"), md);
    assertTrue(md.contains("## 1. Demo (`demo-bench`)"), md);
    assertTrue(md.contains("Repetitions: 3."), md);
    assertTrue(md.contains("- **Demo:** A finding."), md);
  }
}
