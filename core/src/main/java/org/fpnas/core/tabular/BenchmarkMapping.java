package org.fpnas.core.tabular;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.fpnas.core.AccuracyLikelihood;
import org.fpnas.core.settings.Decimal;

/**
 * The mapping file of a tabular benchmark ({@code benchmark.yaml}): which files hold the space and
 * the table, and which columns of the table give the architecture, the search signal (one value per
 * training seed), the cost and the held-out metric (reported for the answer, never a signal).
 * Immutable; see core/README.md for the format.
 *
 * @param name the benchmark's name
 * @param description one line for people
 * @param spaceFile the space file, relative to the mapping
 * @param tableFile the table, relative to the mapping ({@code .csv} with a header row, or {@code
 *     .json}: an object of rows keyed by the architecture, the key readable as column {@code key})
 * @param architectureColumn the column whose text names the architecture
 * @param architecturePattern a regular expression over that text with one group per variable of the
 *     space, in space order (layer by layer), each group a choice of its variable
 * @param signalColumn the column of per-seed accuracies (CSV: space-separated; JSON: an array)
 * @param signalPercent whether the accuracies are in percent (else fractions in [0, 1])
 * @param likelihood how an accuracy becomes a log-likelihood
 * @param costColumn the cost column
 * @param costDescription what the cost is, for people
 * @param heldOutColumn the held-out metric's column
 * @param heldOutDescription what the held-out metric is, for people
 * @param trainingTimeColumn the column of each architecture's recorded training time; null when the
 *     table has none
 */
public record BenchmarkMapping(
    String name,
    String description,
    String spaceFile,
    String tableFile,
    String architectureColumn,
    Pattern architecturePattern,
    String signalColumn,
    boolean signalPercent,
    AccuracyLikelihood likelihood,
    String costColumn,
    String costDescription,
    String heldOutColumn,
    String heldOutDescription,
    String trainingTimeColumn) {
  private static final YAMLMapper YAML = new YAMLMapper();

  /**
   * Reads a mapping file.
   *
   * @param source the file name for error messages
   * @throws TableFormatException naming the file and the missing or bad key
   */
  public static BenchmarkMapping parse(String text, String source) {
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new TableFormatException(source, 0, null, "not valid YAML: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new TableFormatException(
          source,
          0,
          null,
          "expected a mapping with name, space, table, architecture, "
              + "signal, cost and heldOut");
    }
    Keys top =
        new Keys(
            source,
            "",
            root,
            Set.of(
                "name",
                "description",
                "space",
                "table",
                "architecture",
                "signal",
                "cost",
                "heldOut",
                "trainingTime"));
    Keys arch = top.section("architecture", Set.of("column", "pattern"));
    Keys signal = top.section("signal", Set.of("column", "unit", "classes", "batch"));
    Keys cost = top.section("cost", Set.of("column", "description"));
    Keys heldOut = top.section("heldOut", Set.of("column", "description"));
    String trainingTime =
        root.has("trainingTime")
            ? top.section("trainingTime", Set.of("column", "description")).text("column")
            : null;
    Pattern pattern;
    try {
      pattern = Pattern.compile(arch.text("pattern"));
    } catch (PatternSyntaxException e) {
      throw new TableFormatException(
          source,
          0,
          null,
          "architecture.pattern is not a regular expression: " + e.getDescription());
    }
    String unit = signal.text("unit");
    if (!unit.equals("percent") && !unit.equals("fraction")) {
      throw new TableFormatException(
          source, 0, null, "signal.unit must be percent or fraction, got '" + unit + "'");
    }
    AccuracyLikelihood likelihood;
    try {
      likelihood = new AccuracyLikelihood(signal.whole("classes"), signal.whole("batch"));
    } catch (IllegalArgumentException e) {
      throw new TableFormatException(source, 0, null, "signal: " + e.getMessage());
    }
    return new BenchmarkMapping(
        top.text("name"),
        top.optional("description", ""),
        top.text("space"),
        top.text("table"),
        arch.text("column"),
        pattern,
        signal.text("column"),
        unit.equals("percent"),
        likelihood,
        cost.text("column"),
        cost.optional("description", cost.text("column")),
        heldOut.text("column"),
        heldOut.optional("description", heldOut.text("column")),
        trainingTime);
  }

  /**
   * The columns the table must have, in the order architecture, signal, cost, held-out, and the
   * training time when the mapping names one.
   */
  public List<String> columns() {
    return trainingTimeColumn == null
        ? List.of(architectureColumn, signalColumn, costColumn, heldOutColumn)
        : List.of(architectureColumn, signalColumn, costColumn, heldOutColumn, trainingTimeColumn);
  }

  /** Reads the keys of one mapping section, refusing unknown ones. */
  private static final class Keys {
    private final String source;
    private final String prefix;
    private final JsonNode node;

    Keys(String source, String prefix, JsonNode node, Set<String> known) {
      this.source = source;
      this.prefix = prefix;
      this.node = node;
      for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
        String key = names.next();
        if (!known.contains(key)) {
          throw new TableFormatException(
              source,
              0,
              null,
              "unknown key '"
                  + prefix
                  + key
                  + "' (known: "
                  + String.join(", ", new java.util.TreeSet<>(known))
                  + ")");
        }
      }
    }

    Keys section(String key, Set<String> known) {
      JsonNode child = node.get(key);
      if (child == null || !child.isObject()) {
        throw new TableFormatException(
            source, 0, null, "'" + prefix + key + "' is missing or not a mapping");
      }
      return new Keys(source, prefix + key + ".", child, known);
    }

    String text(String key) {
      JsonNode value = node.get(key);
      if (value == null || !value.isValueNode() || value.isNull() || value.asText().isBlank()) {
        throw new TableFormatException(
            source, 0, null, "'" + prefix + key + "' is missing or empty");
      }
      return value.asText();
    }

    String optional(String key, String fallback) {
      return node.has(key) ? text(key) : fallback;
    }

    int whole(String key) {
      Integer value = Decimal.parseInt(text(key));
      if (value == null) {
        throw new TableFormatException(
            source,
            0,
            null,
            "'" + prefix + key + "' must be a whole number, got '" + text(key) + "'");
      }
      return value;
    }
  }
}
