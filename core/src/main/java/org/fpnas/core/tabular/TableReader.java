package org.fpnas.core.tabular;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a benchmark table into rows of text cells: a CSV file with a header row, or a JSON object
 * of rows keyed by the architecture (the key readable as column {@code key}). A JSON array cell
 * (per-seed values) becomes its elements' text separated by spaces, as a CSV file writes them.
 */
final class TableReader {
  /** The column under which a JSON table's keys are read. */
  static final String KEY = "key";

  private static final CsvMapper CSV =
      CsvMapper.builder().enable(CsvParser.Feature.FAIL_ON_MISSING_COLUMNS).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One row: its 1-based number among the data rows and its cells by column.
   *
   * @param number the 1-based data row (line number + 1 in a CSV file)
   * @param cells the cells by column
   */
  record Row(int number, Map<String, String> cells) {}

  private TableReader() {}

  /**
   * The rows of a table, each checked to have every column of {@code required}.
   *
   * @throws TableFormatException naming the file, and the row and column where there is one
   */
  static List<Row> read(String text, String file, List<String> required) {
    List<Row> rows =
        file.toLowerCase(Locale.ROOT).endsWith(".json")
            ? json(text, file)
            : csv(text, file, required);
    for (Row row : rows) {
      for (String column : required) {
        if (!row.cells().containsKey(column)) {
          throw new TableFormatException(file, row.number(), column, "the column is absent");
        }
      }
    }
    return rows;
  }

  private static List<Row> csv(String text, String file, List<String> required) {
    List<Row> rows = new ArrayList<>();
    try (MappingIterator<Map<String, String>> it =
        CSV.readerForMapOf(String.class)
            .with(CsvSchema.emptySchema().withHeader())
            .readValues(text)) {
      boolean more = it.hasNextValue(); // reads the header
      CsvSchema header = (CsvSchema) it.getParser().getSchema();
      for (String column : required) {
        if (header.column(column) == null) {
          throw new TableFormatException(
              file,
              0,
              column,
              "the header has no such column (it has: "
                  + String.join(", ", header.getColumnNames())
                  + ")");
        }
      }
      while (more) {
        rows.add(new Row(rows.size() + 1, it.nextValue()));
        more = it.hasNextValue();
      }
    } catch (JsonProcessingException e) {
      throw new TableFormatException(
          file, rows.size() + 1, null, "not valid CSV: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new TableFormatException(file, 0, null, "cannot be read: " + e.getMessage());
    }
    return rows;
  }

  private static List<Row> json(String text, String file) {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new TableFormatException(
          file,
          0,
          null,
          "not valid JSON: " + e.getOriginalMessage() + " at line " + e.getLocation().getLineNr());
    }
    if (root == null || !root.isObject()) {
      throw new TableFormatException(
          file, 0, null, "expected a JSON object of rows keyed by architecture");
    }
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<String, JsonNode> entry : root.properties()) {
      int number = rows.size() + 1;
      if (!entry.getValue().isObject()) {
        throw new TableFormatException(
            file, number, null, "row '" + entry.getKey() + "' is not an object");
      }
      Map<String, String> cells = new LinkedHashMap<>();
      cells.put(KEY, entry.getKey());
      for (Map.Entry<String, JsonNode> cell : entry.getValue().properties()) {
        cells.put(cell.getKey(), text(cell.getValue(), file, number, cell.getKey()));
      }
      rows.add(new Row(number, cells));
    }
    return rows;
  }

  private static String text(JsonNode value, String file, int row, String column) {
    if (value.isValueNode()) {
      return value.isNull() ? "" : value.asText();
    }
    if (value.isArray()) {
      List<String> parts = new ArrayList<>();
      for (JsonNode element : value) {
        if (!element.isValueNode() || element.isNull()) {
          throw new TableFormatException(
              file, row, column, "an array of numbers was expected, got " + value);
        }
        parts.add(element.asText());
      }
      return String.join(" ", parts);
    }
    throw new TableFormatException(
        file, row, column, "a number or an array of numbers was expected, got " + value);
  }
}
