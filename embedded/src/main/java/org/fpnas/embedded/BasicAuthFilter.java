package org.fpnas.embedded;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.fpnas.admin.CredentialCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP basic authentication in front of the registry: every request must carry valid credentials
 * (else 401, error code 401), and only the writers may change anything (else 403, error code 40301,
 * Confluent's "user is denied operation" code). Registering a schema, changing a compatibility
 * level and deleting are writes; reads, including a lookup ({@code POST /subjects/{s}}) and a
 * compatibility check, are open to every authenticated user, as in Confluent's role-based access
 * control, so that a read-only client can still find the id of a schema that is already registered.
 */
final class BasicAuthFilter implements HttpHandler {

  private static final Logger LOG = LoggerFactory.getLogger(BasicAuthFilter.class);
  static final String REALM = "fpnas-schema-registry";

  private final HttpHandler next;
  private final CredentialCheck check;
  private final Set<String> writers;

  BasicAuthFilter(HttpHandler next, CredentialCheck check, Set<String> writers) {
    this.next = next;
    this.check = check;
    this.writers = Set.copyOf(writers);
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    String[] credentials = credentials(exchange.getRequestHeaders().getFirst("Authorization"));
    boolean valid;
    try {
      valid = credentials != null && check.accepts(credentials[0], credentials[1]);
    } catch (RuntimeException e) {
      LOG.warn("cannot check the credentials of {}: {}", credentials[0], e.getMessage());
      RegistryHandler.sendError(
          exchange,
          500,
          50001,
          "Error in the backend data store - cannot check " + "credentials: " + e.getMessage());
      return;
    }
    if (!valid) {
      exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"" + REALM + "\"");
      RegistryHandler.sendError(exchange, 401, 401, "Unauthorized");
      return;
    }
    String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    List<String> path = RegistryHandler.segments(exchange);
    if (isWrite(method, path) && !writers.contains(credentials[0])) {
      RegistryHandler.sendError(
          exchange,
          403,
          40301,
          "User " + credentials[0] + " is denied operation Write on " + resource(path));
      return;
    }
    next.handle(exchange);
  }

  /**
   * {user, password} from a {@code Basic} Authorization header, or null when there is none or it is
   * malformed.
   */
  static String[] credentials(String header) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    String decoded;
    try {
      decoded =
          new String(
              Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    int colon = decoded.indexOf(':');
    return colon <= 0
        ? null
        : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
  }

  /** Whether a request changes the registry: a registration, a configuration change, a delete. */
  static boolean isWrite(String method, List<String> path) {
    return switch (method) {
      case "GET", "HEAD", "OPTIONS" -> false;
      case "POST" -> !isLookup(path) && !path.isEmpty() && !path.get(0).equals("compatibility");
      default -> true;
    };
  }

  private static boolean isLookup(List<String> path) {
    return path.size() == 2 && path.get(0).equals("subjects");
  }

  private static String resource(List<String> path) {
    if (path.size() >= 2 && (path.get(0).equals("subjects") || path.get(0).equals("config"))) {
      return "Subject: " + path.get(1);
    }
    return path.isEmpty() ? "the registry" : "Global: " + path.get(0);
  }
}
