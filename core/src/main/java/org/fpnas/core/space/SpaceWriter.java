package org.fpnas.core.space;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.Map;

/** Prints a search space in the file format {@link SpaceParser} reads, as YAML or JSON. */
final class SpaceWriter {
  private SpaceWriter() {}

  static String toYaml(SearchSpace space) {
    StringBuilder out = new StringBuilder();
    out.append("name: ").append(Yaml.scalar(space.name())).append('\n');
    space
        .network()
        .ifPresent(
            n -> {
              out.append("network:\n");
              out.append("  input: {height: ")
                  .append(n.inputHeight())
                  .append(", width: ")
                  .append(n.inputWidth())
                  .append(", channels: ")
                  .append(n.inputChannels())
                  .append("}\n");
              out.append("  stem: {channels: ")
                  .append(n.stemChannels())
                  .append(", stride: ")
                  .append(n.stemStride())
                  .append(", kernel: ")
                  .append(n.stemKernel())
                  .append("}\n");
              if (n.headChannels() > 0) {
                out.append("  head: {channels: ").append(n.headChannels()).append("}\n");
              }
              out.append("  classes: ").append(n.classes()).append('\n');
            });
    out.append("layers:\n");
    for (Layer layer : space.layers()) {
      out.append("  - name: ").append(layer.name()).append('\n');
      for (Map.Entry<String, Integer> a : layer.attributes().entrySet()) {
        out.append("    ").append(a.getKey()).append(": ").append(a.getValue()).append('\n');
      }
      out.append("    variables:\n");
      for (Variable v : layer.variables()) {
        out.append("      ")
            .append(v.name())
            .append(": ")
            .append(Yaml.flowList(v.choices()))
            .append('\n');
      }
    }
    return out.toString();
  }

  static String toJson(SearchSpace space) {
    return Json.write(out -> write(out, space));
  }

  private static void write(JsonGenerator out, SearchSpace space) throws IOException {
    out.writeStartObject();
    out.writeStringField("name", space.name());
    if (space.network().isPresent()) {
      Network n = space.network().get();
      out.writeObjectFieldStart("network");
      out.writeObjectFieldStart("input");
      out.writeNumberField("height", n.inputHeight());
      out.writeNumberField("width", n.inputWidth());
      out.writeNumberField("channels", n.inputChannels());
      out.writeEndObject();
      out.writeObjectFieldStart("stem");
      out.writeNumberField("channels", n.stemChannels());
      out.writeNumberField("stride", n.stemStride());
      out.writeNumberField("kernel", n.stemKernel());
      out.writeEndObject();
      if (n.headChannels() > 0) {
        out.writeObjectFieldStart("head");
        out.writeNumberField("channels", n.headChannels());
        out.writeEndObject();
      }
      out.writeNumberField("classes", n.classes());
      out.writeEndObject();
    }
    out.writeArrayFieldStart("layers");
    for (Layer layer : space.layers()) {
      out.writeStartObject();
      out.writeStringField("name", layer.name());
      for (Map.Entry<String, Integer> a : layer.attributes().entrySet()) {
        out.writeNumberField(a.getKey(), a.getValue());
      }
      out.writeObjectFieldStart("variables");
      for (Variable v : layer.variables()) {
        out.writeArrayFieldStart(v.name());
        for (String choice : v.choices()) {
          Json.choice(out, choice);
        }
        out.writeEndArray();
      }
      out.writeEndObject();
      out.writeEndObject();
    }
    out.writeEndArray();
    out.writeEndObject();
  }
}
