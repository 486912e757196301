package org.fpnas.core.space;

import java.util.ArrayList;
import java.util.List;

/**
 * A YAML/JSON value read with the line it starts on, so that semantic errors can name the line.
 *
 * <p>Maps keep every entry in file order, duplicates included: the readers decide what a duplicate
 * means (a duplicate variable name reads better than a generic duplicate key).
 */
public abstract sealed class Node permits Node.MapNode, Node.ListNode, Node.ScalarNode {
  public final int line;

  Node(int line) {
    this.line = line;
  }

  /** What kind of value this is, for error messages ("a mapping", "a list", "a value"). */
  public abstract String kind();

  /** A key and its value, with the line of the key. */
  public record Entry(String key, int line, Node value) {}

  /** A mapping, entries in file order. */
  public static final class MapNode extends Node {
    public final List<Entry> entries = new ArrayList<>();

    MapNode(int line) {
      super(line);
    }

    @Override
    public String kind() {
      return "a mapping";
    }

    /** The first entry with this key, or null. */
    public Entry entry(String key) {
      for (Entry e : entries) {
        if (e.key().equals(key)) {
          return e;
        }
      }
      return null;
    }
  }

  /** A list (YAML sequence, JSON array). */
  public static final class ListNode extends Node {
    public final List<Node> items = new ArrayList<>();

    ListNode(int line) {
      super(line);
    }

    @Override
    public String kind() {
      return "a list";
    }
  }

  /** A scalar, kept as the text written in the file; {@code text} is null for a YAML/JSON null. */
  public static final class ScalarNode extends Node {
    public final String text;

    ScalarNode(int line, String text) {
      super(line);
      this.text = text;
    }

    @Override
    public String kind() {
      return text == null ? "null" : "a value";
    }
  }
}
