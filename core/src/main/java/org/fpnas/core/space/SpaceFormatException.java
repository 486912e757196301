package org.fpnas.core.space;

/**
 * A search space (or landscape) file that cannot be read, with the file and line of the problem.
 *
 * <p>The message reads {@code source:line: problem}, e.g. {@code space.yaml:12: duplicate choice
 * '3' in variable 'kernel' of layer 'b1'}; when the problem has no single line (an empty file) it
 * reads {@code source: problem}.
 */
public class SpaceFormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final int line;
  private final String problem;

  /**
   * @param source the file (or other source) name
   * @param line the 1-based line of the problem, or 0 when it has no single line
   * @param problem what is wrong, naming the offending key, layer, variable or value
   */
  public SpaceFormatException(String source, int line, String problem) {
    super(line > 0 ? source + ":" + line + ": " + problem : source + ": " + problem);
    this.source = source;
    this.line = Math.max(0, line);
    this.problem = problem;
  }

  /** The file (or other source) name the text came from. */
  public String source() {
    return source;
  }

  /** The 1-based line of the problem, or 0 when the problem has no single line. */
  public int line() {
    return line;
  }

  /** The problem without the source and line prefix. */
  public String problem() {
    return problem;
  }
}
