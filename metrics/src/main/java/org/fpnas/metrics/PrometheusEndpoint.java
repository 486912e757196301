package org.fpnas.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * A process's Prometheus endpoint: Micrometer's Prometheus registry, with the JVM's metrics bound,
 * served as text at {@code /metrics}, with the process's liveness and readiness next to it. The
 * JDK's own HTTP server serves it: the Prometheus client's exporter would pull a second,
 * differently versioned copy of the client library next to the one Micrometer uses.
 */
public final class PrometheusEndpoint implements AutoCloseable {
  /** Where the scrape is served. */
  public static final String PATH = "/metrics";

  /** Liveness: 200 while the process works, 503 with the reason when it should be restarted. */
  public static final String LIVE = "/health/live";

  /** Readiness: 200 once the process serves, 503 with the reason while it does not. */
  public static final String READY = "/health/ready";

  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gc;
  private HttpServer server;
  private volatile Supplier<String> liveProblem = () -> null;
  private volatile Supplier<String> readyProblem = () -> null;

  private PrometheusEndpoint(PrometheusMeterRegistry registry, JvmGcMetrics gc) {
    this.registry = registry;
    this.gc = gc;
  }

  /**
   * A registry with the JVM's memory, GC, thread, class loading, CPU and uptime metrics, not yet
   * served.
   */
  public static PrometheusEndpoint create() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    return new PrometheusEndpoint(registry, gc);
  }

  /** The registry that services register their meters with. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The scrape in Prometheus' text format. */
  public String scrape() {
    return registry.scrape();
  }

  /**
   * The process's health, served at {@value #LIVE} and {@value #READY}: each supplier gives what is
   * wrong, or null when nothing is (both healthy until set).
   */
  public PrometheusEndpoint health(Supplier<String> liveProblem, Supplier<String> readyProblem) {
    this.liveProblem = Objects.requireNonNull(liveProblem, "liveProblem");
    this.readyProblem = Objects.requireNonNull(readyProblem, "readyProblem");
    return this;
  }

  /**
   * Serves {@value #PATH}, {@value #LIVE} and {@value #READY} over HTTP on the host and port (0: a
   * free port); once.
   */
  public PrometheusEndpoint serve(String host, int port) {
    return serve(host, port, null);
  }

  /**
   * Like {@link #serve(String, int)}, over HTTPS with the TLS context's certificate, or HTTP when
   * it is null.
   */
  public PrometheusEndpoint serve(String host, int port, SSLContext tls) {
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("metrics port must be between 0 and 65535, got " + port);
    }
    if (server != null) {
      throw new IllegalStateException("the metrics endpoint is already served at " + url());
    }
    try {
      InetSocketAddress address = new InetSocketAddress(host, port);
      if (tls == null) {
        server = HttpServer.create(address, 0);
      } else {
        HttpsServer https = HttpsServer.create(address, 0);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        server = https;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot serve metrics on " + host + ":" + port + ": " + e.getMessage(), e);
    }
    server.createContext(
        PATH, exchange -> answer(exchange, 200, "text/plain; version=0.0.4", scrape()));
    server.createContext(LIVE, exchange -> health(exchange, liveProblem.get()));
    server.createContext(READY, exchange -> health(exchange, readyProblem.get()));
    server.start();
    return this;
  }

  private static void health(HttpExchange exchange, String problem) throws IOException {
    answer(exchange, problem == null ? 200 : 503, "text/plain", problem == null ? "ok" : problem);
  }

  private static void answer(HttpExchange exchange, int status, String type, String text)
      throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body = text.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
      exchange.sendResponseHeaders(status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** The scrape URL; only once served. */
  public URI url() {
    if (server == null) {
      throw new IllegalStateException("the metrics endpoint is not served");
    }
    InetSocketAddress a = server.getAddress();
    String host = a.getAddress().isAnyLocalAddress() ? "localhost" : a.getHostString();
    String scheme = server instanceof HttpsServer ? "https" : "http";
    return URI.create(scheme + "://" + host + ":" + a.getPort() + PATH);
  }

  @Override
  public void close() {
    if (server != null) {
      server.stop(0);
      server = null;
    }
    gc.close();
    registry.close();
  }
}
