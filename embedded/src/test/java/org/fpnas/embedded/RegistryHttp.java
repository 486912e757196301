package org.fpnas.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A plain HTTP client for registry tests (the project's real registry client lives in another
 * module).
 */
final class RegistryHttp {

  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** A response: status, parsed JSON body and content type. */
  record Reply(int status, JsonNode body, String contentType) {
    int errorCode() {
      return body.path("error_code").asInt(-1);
    }
  }

  private final String url;
  private final String authorization;

  RegistryHttp(String url) {
    this(url, null);
  }

  private RegistryHttp(String url, String authorization) {
    this.url = url;
    this.authorization = authorization;
  }

  /** The same client sending HTTP basic credentials with every request. */
  RegistryHttp as(String user, String password) {
    String token =
        java.util.Base64.getEncoder()
            .encodeToString(
                (user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return new RegistryHttp(url, "Basic " + token);
  }

  Reply get(String path) {
    return send("GET", path, null, null);
  }

  Reply post(String path, String json) {
    return send("POST", path, json, RegistryHandler.CONTENT_TYPE);
  }

  Reply put(String path, String json) {
    return send("PUT", path, json, "application/json");
  }

  /** POSTs {@code {"schema": <schema>}}. */
  Reply postSchema(String path, String schema) {
    return post(path, JSON.createObjectNode().put("schema", schema).toString());
  }

  Reply send(String method, String path, String body, String contentType) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try {
      HttpResponse<String> response =
          CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(
          response.statusCode(),
          JSON.readTree(response.body()),
          response.headers().firstValue("Content-Type").orElse(""));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** An Avro record schema with the given extra fields (JSON fragments). */
  static String record(String name, String... extraFields) {
    StringBuilder fields = new StringBuilder("{\"name\":\"id\",\"type\":\"string\"}");
    for (String field : extraFields) {
      fields.append(',').append(field);
    }
    return "{\"type\":\"record\",\"name\":\""
        + name
        + "\",\"namespace\":\"org.fpnas.test\",\"fields\":["
        + fields
        + "]}";
  }
}
