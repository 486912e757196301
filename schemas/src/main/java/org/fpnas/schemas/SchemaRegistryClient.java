package org.fpnas.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import org.apache.avro.Schema;

/**
 * A client for the Confluent Schema Registry REST API (Confluent, Karapace, Redpanda, Apicurio's
 * compatibility API and fpnas' embedded registry all serve it).
 *
 * <p>Schemas by id are immutable in the registry, so they are cached forever; registrations are
 * cached per (subject, schema) because registering the same schema again is idempotent.
 *
 * <p>With {@link #basicAuth} every request carries HTTP basic credentials. A client whose
 * registration is refused (403, a read-only user such as a team) looks the schema up instead, so it
 * can still write records whose schema a writer has registered.
 *
 * <p>An {@code https://} registry is checked against the JDK's default CAs, or against those of
 * {@link #trust(SSLContext)} (see {@link RegistryTrust}).
 */
public final class SchemaRegistryClient implements SchemaStore {
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI baseUri;
  private volatile HttpClient http;
  private final Duration timeout;
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
  private final Map<String, Integer> idsBySubjectAndSchema = new ConcurrentHashMap<>();
  private volatile String authorization;

  public SchemaRegistryClient(String url) {
    this(url, Duration.ofSeconds(10));
  }

  public SchemaRegistryClient(String url, Duration timeout) {
    Objects.requireNonNull(url, "schema registry url");
    String trimmed = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    try {
      this.baseUri = URI.create(trimmed);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("schema registry url is not a valid URI: " + url, e);
    }
    if (baseUri.getScheme() == null || !baseUri.getScheme().startsWith("http")) {
      throw new IllegalArgumentException(
          "schema registry url must start with http:// or https://: " + url);
    }
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** Sends HTTP basic credentials with every request (Confluent's {@code basic.auth.user.info}). */
  public SchemaRegistryClient basicAuth(String user, String password) {
    Objects.requireNonNull(user, "registry user");
    Objects.requireNonNull(password, "registry password");
    if (user.isBlank() || user.contains(":")) {
      throw new IllegalArgumentException(
          "registry user must be non-blank and contain no ':', got '" + user + "'");
    }
    this.authorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return this;
  }

  /**
   * Checks the registry's certificate with this TLS context (e.g. {@link RegistryTrust}) instead of
   * the JDK's default CAs; the host name is checked too.
   */
  public SchemaRegistryClient trust(SSLContext context) {
    Objects.requireNonNull(context, "TLS context");
    this.http = HttpClient.newBuilder().connectTimeout(timeout).sslContext(context).build();
    return this;
  }

  /** The registry's base URL. */
  public String url() {
    return baseUri.toString();
  }

  @Override
  public int register(String subject, Schema schema) {
    String key = subject + '\u0000' + schema.toString();
    Integer cached = idsBySubjectAndSchema.get(key);
    if (cached != null) {
      return cached;
    }
    ObjectNode body =
        JSON.createObjectNode().put("schema", schema.toString()).put("schemaType", "AVRO");
    JsonNode answer;
    try {
      answer = send("POST", "/subjects/" + encode(subject) + "/versions", body);
    } catch (SchemaRegistryException refused) {
      if (refused.httpStatus() != 403) {
        throw refused;
      }
      answer = lookup(subject, body, refused);
    }
    int id = answer.path("id").asInt(-1);
    if (id < 0) {
      throw new SchemaRegistryException(200, -1, "registration answer has no id: " + answer);
    }
    idsBySubjectAndSchema.put(key, id);
    schemasById.putIfAbsent(id, schema);
    return id;
  }

  /**
   * The registered version of the schema, for a client that may read but not register; else the
   * refusal.
   */
  private JsonNode lookup(String subject, ObjectNode body, SchemaRegistryException refusal) {
    try {
      return send("POST", "/subjects/" + encode(subject), body);
    } catch (SchemaRegistryException e) {
      if (e.httpStatus() == 404) {
        throw refusal; // not registered yet, and this client may not register it
      }
      throw e;
    }
  }

  /** Cached: ids never change meaning. */
  @Override
  public Schema schemaById(int id) {
    Schema cached = schemasById.get(id);
    if (cached != null) {
      return cached;
    }
    JsonNode answer = send("GET", "/schemas/ids/" + id, null);
    Schema schema = parse(answer.path("schema").asText(), "schema id " + id);
    schemasById.put(id, schema);
    return schema;
  }

  /** The latest version registered under the subject. */
  public RegisteredSchema latest(String subject) {
    return version(subject, "latest");
  }

  /** A given version (a number or "latest") of the subject. */
  public RegisteredSchema version(String subject, String version) {
    JsonNode answer =
        send("GET", "/subjects/" + encode(subject) + "/versions/" + encode(version), null);
    int id = answer.path("id").asInt();
    Schema schema = parse(answer.path("schema").asText(), "subject " + subject);
    schemasById.putIfAbsent(id, schema);
    return new RegisteredSchema(
        answer.path("subject").asText(subject), answer.path("version").asInt(), id, schema);
  }

  /**
   * Whether the schema may be registered under the subject with the subject's compatibility rule.
   */
  public boolean isCompatible(String subject, Schema schema) {
    ObjectNode body =
        JSON.createObjectNode().put("schema", schema.toString()).put("schemaType", "AVRO");
    JsonNode answer =
        send("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest", body);
    return answer.path("is_compatible").asBoolean(false);
  }

  private JsonNode send(String method, String path, JsonNode body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(baseUri.resolve(baseUri.getPath() + path))
            .timeout(timeout)
            .header("Accept", CONTENT_TYPE + ", application/json");
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", CONTENT_TYPE)
          .method(
              method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
    }
    HttpResponse<String> response;
    try {
      response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw SchemaRegistryException.unreachable(
          "schema registry at " + baseUri + " cannot be reached: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw SchemaRegistryException.unreachable(
          "interrupted while calling the schema registry at " + baseUri, e);
    }
    JsonNode json = readJson(response);
    if (response.statusCode() / 100 != 2) {
      int code = json.path("error_code").asInt(response.statusCode());
      String message = json.path("message").asText(response.body());
      throw new SchemaRegistryException(response.statusCode(), code, message);
    }
    return json;
  }

  private static JsonNode readJson(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body().isEmpty() ? "{}" : response.body());
    } catch (IOException e) {
      throw new SchemaRegistryException(
          response.statusCode(), -1, "answer is not JSON: " + abbreviate(response.body()));
    }
  }

  private static Schema parse(String text, String what) {
    try {
      return new Schema.Parser().parse(text);
    } catch (RuntimeException e) {
      throw new SchemaRegistryException(
          "registry returned an unreadable schema for " + what + ": " + e.getMessage(), e);
    }
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "...";
  }
}
