package org.fpnas.core.space;

import java.util.List;
import org.fpnas.core.settings.Decimal;

/**
 * Reads the entries of one mapping of a space or landscape file, turning every problem into a
 * {@link SpaceFormatException} that names the file, the line and the place ({@code where}).
 */
public final class Fields {
  final String source;
  final Node.MapNode map;
  final String where;
  private final boolean root;

  private Fields(String source, Node.MapNode map, String where, boolean root) {
    this.source = source;
    this.map = map;
    this.where = where;
    this.root = root;
  }

  /** The top-level mapping of a file, named {@code where} ("the space"). */
  /** The line of this mapping. */
  public int line() {
    return map.line;
  }

  public static Fields root(String source, Node node, String where) {
    Fields fields = of(source, node, where);
    return new Fields(source, fields.map, where, true);
  }

  /** The node as a mapping, or an error saying what {@code where} should have been. */
  public static Fields of(String source, Node node, String where) {
    if (!(node instanceof Node.MapNode map)) {
      throw new SpaceFormatException(
          source, node.line, where + " must be a mapping of keys to values, got " + node.kind());
    }
    return new Fields(source, map, where, false);
  }

  /** Rejects unknown and repeated keys; {@code allowed} is also the order listed in the error. */
  public Fields allowOnly(List<String> allowed) {
    for (int i = 0; i < map.entries.size(); i++) {
      Node.Entry entry = map.entries.get(i);
      if (!allowed.contains(entry.key())) {
        throw error(
            entry.line(),
            "unknown key '"
                + entry.key()
                + "' in "
                + where
                + " (allowed: "
                + String.join(", ", allowed)
                + ")");
      }
      for (int j = 0; j < i; j++) {
        if (map.entries.get(j).key().equals(entry.key())) {
          throw error(
              entry.line(),
              "duplicate key '"
                  + entry.key()
                  + "' in "
                  + where
                  + " (first at line "
                  + map.entries.get(j).line()
                  + ")");
        }
      }
    }
    return this;
  }

  public boolean has(String key) {
    return map.entry(key) != null;
  }

  public Node.Entry required(String key) {
    Node.Entry entry = map.entry(key);
    if (entry == null) {
      throw error(map.line, "missing key '" + key + "' in " + where);
    }
    return entry;
  }

  public Fields section(String key) {
    return Fields.of(source, required(key).value(), name(key));
  }

  /** How a key of this mapping is named in messages; top-level keys need no "of the file". */
  private String name(String key) {
    return root ? "'" + key + "'" : "'" + key + "' of " + where;
  }

  public Node.ListNode list(String key) {
    Node.Entry entry = required(key);
    if (!(entry.value() instanceof Node.ListNode list)) {
      throw error(entry.line(), name(key) + " must be a list, got " + entry.value().kind());
    }
    return list;
  }

  public String text(String key) {
    Node.Entry entry = required(key);
    return scalar(entry.value(), name(key));
  }

  public int integer(String key) {
    Node.Entry entry = required(key);
    String text = scalar(entry.value(), name(key));
    Integer value = Decimal.parseInt(text);
    if (value == null) {
      throw error(entry.value().line, name(key) + " must be a whole number, got '" + text + "'");
    }
    return value;
  }

  public int integer(String key, int absent) {
    return has(key) ? integer(key) : absent;
  }

  public double number(String key) {
    Node.Entry entry = required(key);
    String text = scalar(entry.value(), name(key));
    return parseFinite(text, entry.value().line, name(key));
  }

  public double number(String key, double absent) {
    return has(key) ? number(key) : absent;
  }

  public long longInteger(String key, long absent) {
    if (!has(key)) {
      return absent;
    }
    Node.Entry entry = required(key);
    String text = scalar(entry.value(), name(key));
    Long value = Decimal.parseLong(text);
    if (value == null) {
      throw error(entry.value().line, name(key) + " must be a whole number, got '" + text + "'");
    }
    return value;
  }

  /** The text of a non-null, non-blank scalar. */
  public String scalar(Node node, String what) {
    if (!(node instanceof Node.ScalarNode scalar) || scalar.text == null) {
      throw error(node.line, what + " must be a single value, got " + node.kind());
    }
    if (scalar.text.isBlank()) {
      throw error(node.line, what + " must not be empty");
    }
    return scalar.text;
  }

  public double parseFinite(String text, int line, String what) {
    Double value = Decimal.parseFinite(text);
    if (value == null) {
      throw error(line, what + " must be a finite decimal number, got '" + text + "'");
    }
    return value;
  }

  public SpaceFormatException error(int line, String problem) {
    return new SpaceFormatException(source, line, problem);
  }
}
