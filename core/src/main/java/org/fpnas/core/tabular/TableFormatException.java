package org.fpnas.core.tabular;

/**
 * A tabular benchmark whose files do not fit together: a mapping key missing, a column absent, a
 * cell that is not a number, an architecture of the space without a row. The message names the file
 * and, where there is one, the row and the column, e.g. {@code nb201_cifar10.csv: row 17 (line 18),
 * column 'test_acc_200ep': 'x' is not a number}.
 */
public class TableFormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final int row;
  private final String column;

  /**
   * @param file the file the problem is in
   * @param row the 1-based data row, or 0 when the problem is not in one row
   * @param column the column, or null when the problem is not in one column
   * @param problem what is wrong
   */
  public TableFormatException(String file, int row, String column, String problem) {
    super(
        file
            + ": "
            + (row > 0 ? "row " + row + ", " : "")
            + (column != null ? "column '" + column + "': " : "")
            + problem);
    this.file = file;
    this.row = row;
    this.column = column;
  }

  /** The file the problem is in. */
  public String file() {
    return file;
  }

  /** The 1-based data row, or 0 when the problem is not in one row. */
  public int row() {
    return row;
  }

  /** The column, or null. */
  public String column() {
    return column;
  }
}
