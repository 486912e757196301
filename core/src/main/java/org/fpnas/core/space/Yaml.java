package org.fpnas.core.space;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes YAML scalars so that the readers get back exactly the same text.
 *
 * <p>A scalar is written plain when it is made of letters, digits and {@code _ . + = -} (not
 * starting with one of {@code . + -}) and is not a YAML null; otherwise it is single-quoted. The
 * readers keep a scalar's text as written, so "3", "1.50" and "relu" all survive.
 */
public final class Yaml {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.+=-]*");
  private static final Set<String> NULLS = Set.of("null", "~");

  private Yaml() {}

  public static String scalar(String text) {
    if (PLAIN.matcher(text).matches() && !NULLS.contains(text.toLowerCase(Locale.ROOT))) {
      return text;
    }
    return "'" + text.replace("'", "''") + "'";
  }

  /** A flow list: {@code [3, 5, relu]}. */
  public static String flowList(List<String> items) {
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < items.size(); i++) {
      out.append(i == 0 ? "" : ", ").append(scalar(items.get(i)));
    }
    return out.append(']').toString();
  }
}
