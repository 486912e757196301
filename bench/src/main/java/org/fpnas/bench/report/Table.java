package org.fpnas.bench.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The rows of one benchmark. Cells are text, numbers or {@link Summary summaries}. The same rows
 * render compactly for people (a summary as "median (min–max)", numbers rounded per column) and in
 * full for CSV (a summary column becomes {@code _median}, {@code _min} and {@code _max} columns
 * with unrounded values), so a reader and a script see the same measurements.
 */
public final class Table {
  /** A column: its heading, the decimals shown to people, and whether it holds summaries. */
  public record Column(String name, int decimals, boolean summary) {
    /** The CSV name: lower case, runs of other characters as one '_'. */
    public String key() {
      String k = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
      return k.replaceAll("^_+|_+$", "");
    }
  }

  private final List<Column> columns = new ArrayList<>();
  private final List<List<Object>> rows = new ArrayList<>();

  /** Adds a column of text or whole numbers. */
  public Table column(String name) {
    return add(new Column(name, 0, false));
  }

  /** Adds a column of numbers shown with {@code decimals} decimals. */
  public Table column(String name, int decimals) {
    return add(new Column(name, decimals, false));
  }

  /**
   * Adds a column of {@link Summary summaries} (repeated measurements) shown with {@code decimals}.
   */
  public Table summaryColumn(String name, int decimals) {
    return add(new Column(name, decimals, true));
  }

  private Table add(Column column) {
    if (!rows.isEmpty()) {
      throw new IllegalStateException("add every column before the first row");
    }
    columns.add(column);
    return this;
  }

  /**
   * Adds a row, one cell per column: a String, a Number or a Summary.
   *
   * @throws IllegalArgumentException when the cell count or a cell's type does not fit
   */
  public Table row(Object... cells) {
    if (cells.length != columns.size()) {
      throw new IllegalArgumentException(
          "a row of this table has "
              + columns.size()
              + " cells "
              + names()
              + ", got "
              + cells.length);
    }
    for (int i = 0; i < cells.length; i++) {
      Object c = cells[i];
      if (!(c instanceof String || c instanceof Number || c instanceof Summary)) {
        throw new IllegalArgumentException(
            "cell '"
                + columns.get(i).name()
                + "' must be text, a number or a summary, got "
                + (c == null ? "null" : c.getClass().getSimpleName()));
      }
    }
    rows.add(List.of(cells));
    return this;
  }

  /** The columns. */
  public List<Column> columns() {
    return List.copyOf(columns);
  }

  /** The number of rows. */
  public int rowCount() {
    return rows.size();
  }

  /** The cell of a row by column name. */
  public Object cell(int row, String column) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equals(column)) {
        return rows.get(row).get(i);
      }
    }
    throw new IllegalArgumentException("no column '" + column + "' in " + names());
  }

  /** The rows as people read them: one list of strings per row. */
  public List<List<String>> shownRows() {
    List<List<String>> out = new ArrayList<>();
    for (List<Object> row : rows) {
      List<String> shown = new ArrayList<>();
      for (int i = 0; i < row.size(); i++) {
        shown.add(shown(row.get(i), columns.get(i).decimals()));
      }
      out.add(shown);
    }
    return out;
  }

  /** The CSV header: summary columns expanded into median, min and max. */
  public List<String> csvHeader() {
    List<String> out = new ArrayList<>();
    for (Column c : columns) {
      if (c.summary()) {
        out.add(c.key() + "_median");
        out.add(c.key() + "_min");
        out.add(c.key() + "_max");
      } else {
        out.add(c.key());
      }
    }
    return out;
  }

  /** The CSV rows, unrounded, in the order of {@link #csvHeader()}. */
  public List<List<String>> csvRows() {
    List<List<String>> out = new ArrayList<>();
    for (List<Object> row : rows) {
      List<String> values = new ArrayList<>();
      for (int i = 0; i < row.size(); i++) {
        Object cell = row.get(i);
        if (!columns.get(i).summary()) {
          values.add(exact(cell));
        } else if (cell instanceof Summary s) {
          values.add(exact(s.median()));
          values.add(exact(s.min()));
          values.add(exact(s.max()));
        } else if (cell instanceof Number) {
          values.add(exact(cell));
          values.add(exact(cell));
          values.add(exact(cell));
        } else {
          values.add(exact(cell));
          values.add("");
          values.add("");
        }
      }
      out.add(values);
    }
    return out;
  }

  /** The table as aligned plain text, for the terminal. */
  public String text() {
    List<List<String>> all = new ArrayList<>();
    all.add(names());
    all.addAll(shownRows());
    int[] widths = new int[columns.size()];
    for (List<String> row : all) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (List<String> row : all) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        line.append(i == 0 ? "" : "  ").append(pad(row.get(i), widths[i], !holdsText(i)));
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }

  /** The table in GitHub markdown. */
  public String markdown() {
    StringBuilder out = new StringBuilder();
    out.append("| ").append(String.join(" | ", escaped(names()))).append(" |\n|");
    for (int i = 0; i < columns.size(); i++) {
      out.append(holdsText(i) ? "---|" : "---:|");
    }
    out.append('\n');
    for (List<String> row : shownRows()) {
      out.append("| ").append(String.join(" | ", escaped(row))).append(" |\n");
    }
    return out.toString();
  }

  /** Whether a column holds text (left-aligned) rather than numbers (right-aligned). */
  private boolean holdsText(int column) {
    return rows.stream().anyMatch(r -> r.get(column) instanceof String s && !s.isEmpty());
  }

  private List<String> names() {
    return columns.stream().map(Column::name).toList();
  }

  private static List<String> escaped(List<String> cells) {
    return cells.stream().map(c -> c.replace("|", "\\|")).toList();
  }

  private static String pad(String s, int width, boolean right) {
    String fill = " ".repeat(Math.max(0, width - s.length()));
    return right ? fill + s : s + fill;
  }

  /** A cell for people: numbers rounded to {@code decimals}, a summary as "median (min–max)". */
  static String shown(Object cell, int decimals) {
    if (cell instanceof Summary s) {
      String median = number(s.median(), decimals);
      if (s.n() == 1 || s.min() == s.max()) {
        return median;
      }
      return median + " (" + number(s.min(), decimals) + "–" + number(s.max(), decimals) + ")";
    }
    if (cell instanceof Double || cell instanceof Float) {
      return number(((Number) cell).doubleValue(), decimals);
    }
    return String.valueOf(cell);
  }

  static String number(double v, int decimals) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  /**
   * A cell for CSV: text as is, numbers to 7 significant digits without exponent, inf for infinity.
   */
  static String exact(Object cell) {
    if (cell instanceof Double || cell instanceof Float) {
      double v = ((Number) cell).doubleValue();
      if (Double.isNaN(v)) {
        return "";
      }
      if (Double.isInfinite(v)) {
        return v > 0 ? "inf" : "-inf";
      }
      if (v == 0) {
        return "0";
      }
      return new BigDecimal(v).round(new MathContext(7)).stripTrailingZeros().toPlainString();
    }
    return String.valueOf(cell);
  }
}
