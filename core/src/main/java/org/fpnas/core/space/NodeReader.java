package org.fpnas.core.space;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads YAML or JSON text into {@link Node}s that remember their lines.
 *
 * <p>Text that looks like JSON (a {@code .json} source, or text starting with '{' or '[') is read
 * with the strict JSON parser first, because its syntax errors are far clearer than the YAML
 * parser's; a non-{@code .json} source that fails as JSON is retried as YAML (YAML flow style also
 * starts with '{'), and the JSON error is reported only if YAML fails too.
 */
public final class NodeReader {
  private static final JsonFactory JSON = new JsonFactory();
  private static final YAMLFactory YAML = new YAMLFactory();

  private NodeReader() {}

  public static Node read(String text, String source) {
    if (text == null) {
      throw new SpaceFormatException(source, 0, "no text to read");
    }
    String stripped = text.stripLeading();
    if (stripped.startsWith("\uFEFF")) {
      stripped = stripped.substring(1).stripLeading();
    }
    boolean jsonSource = source.toLowerCase(java.util.Locale.ROOT).endsWith(".json");
    boolean looksJson = stripped.startsWith("{") || stripped.startsWith("[");
    if (jsonSource || looksJson) {
      try {
        return readWith(JSON, text, source);
      } catch (SyntaxError jsonError) {
        if (!jsonSource) {
          try {
            return readWith(YAML, text, source);
          } catch (SyntaxError ignored) {
            // The text looked like JSON: the JSON error is the useful one.
          }
        }
        throw jsonError.toException(source, "malformed JSON");
      }
    }
    try {
      return readWith(YAML, text, source);
    } catch (SyntaxError yamlError) {
      throw yamlError.toException(source, "malformed YAML");
    }
  }

  private static Node readWith(JsonFactory factory, String text, String source) {
    try (JsonParser parser = factory.createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new SpaceFormatException(source, 0, "the file is empty");
      }
      Node root = readValue(parser);
      if (parser.nextToken() != null) {
        throw new SpaceFormatException(
            source,
            line(parser.currentTokenLocation()),
            "unexpected content after the end of the document (only one document is allowed)");
      }
      return root;
    } catch (JsonProcessingException e) {
      throw new SyntaxError(line(e.getLocation()), condense(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Node readValue(JsonParser parser) throws IOException {
    JsonToken token = parser.currentToken();
    int line = line(parser.currentTokenLocation());
    switch (token) {
      case START_OBJECT:
        {
          Node.MapNode map = new Node.MapNode(line);
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            int keyLine = line(parser.currentTokenLocation());
            parser.nextToken();
            map.entries.add(new Node.Entry(key, keyLine, readValue(parser)));
          }
          return map;
        }
      case START_ARRAY:
        {
          Node.ListNode list = new Node.ListNode(line);
          while (parser.nextToken() != JsonToken.END_ARRAY) {
            list.items.add(readValue(parser));
          }
          return list;
        }
      case VALUE_NULL:
        return new Node.ScalarNode(line, null);
      default:
        // Numbers, booleans and strings alike keep the text as written, so "3", "1.50" and
        // "relu" survive unchanged (choices are strings).
        return new Node.ScalarNode(line, parser.getText());
    }
  }

  private static int line(JsonLocation location) {
    return location == null ? 0 : Math.max(0, location.getLineNr());
  }

  /** Keeps SnakeYAML's explanation lines and drops its source snippets and position lines. */
  static String condense(String message) {
    if (message == null) {
      return "syntax error";
    }
    List<String> kept = new ArrayList<>();
    for (String line : message.split("\\R")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty()
          || line.startsWith(" ")
          || trimmed.startsWith("in 'reader'")
          || trimmed.equals("^")) {
        continue;
      }
      kept.add(trimmed);
    }
    return kept.isEmpty() ? message.strip() : String.join(": ", kept);
  }

  /** A syntax error before it is known whether it is reported as JSON or YAML. */
  private static final class SyntaxError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int line;

    SyntaxError(int line, String message) {
      super(message, null, false, false);
      this.line = line;
    }

    SpaceFormatException toException(String source, String what) {
      return new SpaceFormatException(source, line, what + ": " + getMessage());
    }
  }
}
