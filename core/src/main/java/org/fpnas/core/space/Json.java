package org.fpnas.core.space;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.regex.Pattern;

/** Writes compact JSON with Jackson's generator (correct escaping), one callback per document. */
public final class Json {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final Pattern NUMBER =
      Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

  /** Writes one document. */
  public interface Body {
    void write(JsonGenerator out) throws IOException;
  }

  private Json() {}

  public static String write(Body body) {
    StringWriter text = new StringWriter();
    try (JsonGenerator out = FACTORY.createGenerator(text)) {
      body.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }

  /**
   * Writes a choice as a JSON number when its text is one (the JSON reader keeps a number's text as
   * written, so "3" comes back as "3"), else as a string.
   */
  public static void choice(JsonGenerator out, String choice) throws IOException {
    if (NUMBER.matcher(choice).matches()) {
      out.writeNumber(choice);
    } else {
      out.writeString(choice);
    }
  }
}
