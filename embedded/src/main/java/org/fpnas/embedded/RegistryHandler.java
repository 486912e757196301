package org.fpnas.embedded;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Serves the Confluent Schema Registry REST API subset over a {@link RegistryState}. */
final class RegistryHandler implements HttpHandler {

  static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

  private static final Logger LOG = LoggerFactory.getLogger(RegistryHandler.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> ACCEPTED_BODY_TYPES =
      Set.of(
          "application/vnd.schemaregistry.v1+json",
          "application/vnd.schemaregistry+json",
          "application/json",
          "application/octet-stream");
  private static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

  /** A response: a JSON value, or raw text that already is JSON (a schema). */
  private record Response(int status, Object body) {}

  private final RegistryState store;

  RegistryHandler(RegistryState store) {
    this.store = store;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    Response response;
    try {
      response =
          route(exchange.getRequestMethod().toUpperCase(Locale.ROOT), segments(exchange), exchange);
    } catch (RegistryException e) {
      if (e.status >= 500) {
        LOG.warn(
            "{} {} failed: {}",
            exchange.getRequestMethod(),
            exchange.getRequestURI(),
            e.getMessage());
      }
      response = error(e.status, e.errorCode, e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
      response = error(500, 500, "Internal Server Error: " + e);
    }
    send(exchange, response);
  }

  private Response route(String method, List<String> path, HttpExchange exchange)
      throws IOException {
    int n = path.size();
    String first = n > 0 ? path.get(0) : "";
    if (n == 0) {
      // Confluent answers the root with an empty object; clients use it as a health check.
      return method.equals("GET") ? ok(JSON.createObjectNode()) : notAllowed();
    }
    switch (first) {
      case "subjects":
        if (n == 1) {
          return method.equals("GET") ? ok(store.subjects()) : notAllowed();
        }
        String subject = path.get(1);
        if (n == 2) {
          return method.equals("POST") ? lookup(subject, exchange) : notAllowed();
        }
        if (!path.get(2).equals("versions") || n > 5) {
          return notFound();
        }
        if (n == 3) {
          return switch (method) {
            case "GET" -> ok(store.versions(subject));
            case "POST" -> register(subject, exchange);
            default -> notAllowed();
          };
        }
        if (!method.equals("GET")) {
          return notAllowed();
        }
        RegistryState.Registered registered = store.version(subject, parseVersion(path.get(3)));
        if (n == 5) {
          return path.get(4).equals("schema") ? new Response(200, registered.schema()) : notFound();
        }
        return ok(registeredJson(registered));
      case "schemas":
        if (n == 2 && path.get(1).equals("types")) {
          return method.equals("GET") ? ok(List.of("AVRO")) : notAllowed();
        }
        if (n < 3
            || n > 4
            || !path.get(1).equals("ids")
            || (n == 4 && !path.get(3).equals("schema"))) {
          return notFound();
        }
        if (!method.equals("GET")) {
          return notAllowed();
        }
        String text = store.schemaText(parseId(path.get(2)));
        return n == 4 ? new Response(200, text) : ok(JSON.createObjectNode().put("schema", text));
      case "config":
        if (n > 2) {
          return notFound();
        }
        String configSubject = n == 2 ? path.get(1) : null;
        return switch (method) {
          case "GET" ->
              ok(
                  JSON.createObjectNode()
                      .put("compatibilityLevel", store.level(configSubject).name()));
          case "PUT" -> setLevel(configSubject, exchange);
          default -> notAllowed();
        };
      case "compatibility":
        if (n < 4 || n > 5 || !path.get(1).equals("subjects") || !path.get(3).equals("versions")) {
          return notFound();
        }
        if (!method.equals("POST")) {
          return notAllowed();
        }
        return checkCompatibility(path.get(2), n == 5 ? parseVersion(path.get(4)) : -1, exchange);
      default:
        return notFound();
    }
  }

  private Response register(String subject, HttpExchange exchange) throws IOException {
    RegistryState.Candidate candidate = candidate(body(exchange));
    return ok(JSON.createObjectNode().put("id", store.register(subject, candidate)));
  }

  private Response lookup(String subject, HttpExchange exchange) throws IOException {
    RegistryState.Candidate candidate = candidate(body(exchange));
    return ok(registeredJson(store.lookup(subject, candidate)));
  }

  private Response checkCompatibility(String subject, int version, HttpExchange exchange)
      throws IOException {
    RegistryState.Candidate candidate = candidate(body(exchange));
    List<String> problems = store.incompatibilities(subject, version, candidate);
    ObjectNode result = JSON.createObjectNode().put("is_compatible", problems.isEmpty());
    if (isVerbose(exchange) && !problems.isEmpty()) {
      result.set("messages", JSON.valueToTree(problems));
    }
    return ok(result);
  }

  private Response setLevel(String subject, HttpExchange exchange) throws IOException {
    JsonNode level = body(exchange).get("compatibility");
    String text = level == null || !level.isTextual() ? null : level.asText();
    Compatibility compatibility =
        Compatibility.parse(text)
            .orElseThrow(() -> RegistryException.invalidCompatibility(String.valueOf(text)));
    store.setLevel(subject, compatibility);
    return ok(JSON.createObjectNode().put("compatibility", compatibility.name()));
  }

  private static RegistryState.Candidate candidate(JsonNode body) {
    JsonNode type = body.get("schemaType");
    if (type != null && !type.isNull() && !type.asText().equalsIgnoreCase("AVRO")) {
      throw RegistryException.invalidSchema(
          "schema type '" + type.asText() + "' is not supported; only AVRO");
    }
    JsonNode references = body.get("references");
    if (references != null && references.isArray() && references.size() > 0) {
      throw RegistryException.invalidSchema("schema references are not supported");
    }
    JsonNode schema = body.get("schema");
    if (schema == null || !schema.isTextual()) {
      throw RegistryException.invalidSchema("the request has no \"schema\" string");
    }
    return RegistryState.Candidate.parse(schema.asText());
  }

  private static JsonNode body(HttpExchange exchange) throws IOException {
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    if (type != null) {
      String mediaType = type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
      if (!mediaType.isEmpty() && !ACCEPTED_BODY_TYPES.contains(mediaType)) {
        throw new RegistryException(
            415,
            415,
            "HTTP 415 Unsupported Media Type: "
                + mediaType
                + "; send "
                + CONTENT_TYPE
                + " or application/json");
      }
    }
    byte[] bytes;
    try (InputStream in = exchange.getRequestBody()) {
      bytes = in.readNBytes(MAX_BODY_BYTES + 1);
    }
    if (bytes.length > MAX_BODY_BYTES) {
      throw new RegistryException(
          413, 413, "request body larger than " + MAX_BODY_BYTES + " bytes");
    }
    try {
      JsonNode node = JSON.readTree(bytes);
      if (node == null || !node.isObject()) {
        throw new RegistryException(400, 400, "the request body must be a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new RegistryException(
          400, 400, "malformed JSON in the request body: " + e.getOriginalMessage());
    }
  }

  private static boolean isVerbose(HttpExchange exchange) {
    String query = exchange.getRequestURI().getRawQuery();
    if (query == null) {
      return false;
    }
    for (String pair : query.split("&")) {
      if (pair.equalsIgnoreCase("verbose=true")) {
        return true;
      }
    }
    return false;
  }

  /**
   * A version id: a positive int, or {@code latest} / {@code -1} for the latest (returned as -1).
   */
  private static int parseVersion(String text) {
    if (text.equalsIgnoreCase("latest") || text.equals("-1")) {
      return -1;
    }
    try {
      int version = Integer.parseInt(text);
      if (version >= 1) {
        return version;
      }
    } catch (NumberFormatException e) {
      // falls through to the API's error
    }
    throw RegistryException.invalidVersion(text);
  }

  private static int parseId(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw RegistryException.schemaNotFound(text);
    }
  }

  private static ObjectNode registeredJson(RegistryState.Registered r) {
    return JSON.createObjectNode()
        .put("subject", r.subject())
        .put("version", r.version())
        .put("id", r.id())
        .put("schema", r.schema());
  }

  /**
   * Path segments, each percent-decoded on its own so that an encoded '/' stays inside a subject.
   */
  static List<String> segments(HttpExchange exchange) {
    List<String> result = new ArrayList<>();
    for (String raw : exchange.getRequestURI().getRawPath().split("/")) {
      if (!raw.isEmpty()) {
        // '+' is literal in a path; URLDecoder would turn it into a space.
        result.add(URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
      }
    }
    return result;
  }

  private static Response ok(Object body) {
    return new Response(200, body);
  }

  private static Response notFound() {
    return error(404, 404, "HTTP 404 Not Found");
  }

  private static Response notAllowed() {
    return error(405, 405, "HTTP 405 Method Not Allowed");
  }

  private static Response error(int status, int code, String message) {
    return new Response(
        status, JSON.createObjectNode().put("error_code", code).put("message", message));
  }

  /**
   * Answers with an error in the API's JSON shape: {@code {"error_code": code, "message":
   * message}}.
   */
  static void sendError(HttpExchange exchange, int status, int code, String message)
      throws IOException {
    send(exchange, error(status, code, message));
  }

  private static void send(HttpExchange exchange, Response response) throws IOException {
    byte[] bytes =
        response.body() instanceof String text
            ? text.getBytes(StandardCharsets.UTF_8)
            : JSON.writeValueAsBytes(response.body());
    exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
    try (OutputStream out = exchange.getResponseBody()) {
      if (exchange.getRequestMethod().equalsIgnoreCase("HEAD")) {
        exchange.sendResponseHeaders(response.status(), -1);
      } else {
        exchange.sendResponseHeaders(response.status(), bytes.length);
        out.write(bytes);
      }
    } finally {
      exchange.close();
    }
  }
}
