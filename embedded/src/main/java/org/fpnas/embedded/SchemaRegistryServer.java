package org.fpnas.embedded;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.fpnas.admin.CredentialCheck;
import org.fpnas.admin.KafkaLoginCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A schema registry that serves the Confluent Schema Registry REST API subset fpnas uses (Avro
 * only), storing its state in a compacted Kafka topic ({@code _schemas} by default) so that schema
 * ids survive a restart.
 *
 * <p>Endpoints: POST {@code /subjects/{s}/versions} (register, idempotent), POST {@code
 * /subjects/{s}} (lookup), GET {@code /subjects}, {@code /subjects/{s}/versions}, {@code
 * /subjects/{s}/versions/{v|latest}} (and {@code .../schema}), GET {@code /schemas/ids/{id}} (and
 * {@code .../schema}), {@code /schemas/types}, POST {@code
 * /compatibility/subjects/{s}/versions/{v|latest}} ({@code ?verbose=true} adds messages), GET/PUT
 * {@code /config} and {@code /config/{s}} (a subject without its own level reports the global one).
 * Errors carry the API's JSON shape and codes. Compatibility is BACKWARD unless configured, checked
 * with Avro's {@code SchemaCompatibility}. Deletes, modes, contexts and schema references are not
 * served. Several instances may share one topic; writes are not coordinated between them beyond
 * reading the topic to its end first, so let one instance take writes.
 *
 * <p>With {@link #authenticateWithKafka(Collection)} every request needs HTTP basic credentials
 * that log in to the Kafka cluster, and only the named users may register schemas or change
 * settings. With {@link #https(SSLContext)} it serves HTTPS only.
 */
public final class SchemaRegistryServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryServer.class);
  private static final String DEFAULT_TOPIC = "_schemas";
  private static final int THREADS = 4;

  private final String source;
  private final SchemaLogFactory logFactory;
  private int port;
  private String topic = DEFAULT_TOPIC;
  private Duration startTimeout = Duration.ofSeconds(60);
  private Duration writeTimeout = Duration.ofSeconds(30);
  private final Map<String, String> clientProperties = new LinkedHashMap<>();
  private Set<String> writers;
  private CredentialCheck credentialCheck;
  private SSLContext tls;

  private SchemaLog log;
  private HttpServer server;
  private ExecutorService executor;

  /** Makes the log once the topic is known; a seam for unit tests without a broker. */
  interface SchemaLogFactory {
    SchemaLog create(String topic);
  }

  /** A registry that keeps its schemas on the Kafka cluster at {@code bootstrapServers}. */
  public SchemaRegistryServer(String bootstrapServers) {
    this.source = requireText(bootstrapServers, "bootstrapServers");
    this.logFactory =
        topic -> new KafkaSchemaLog(bootstrapServers, topic, Map.copyOf(clientProperties));
  }

  SchemaRegistryServer(String source, SchemaLogFactory logFactory) {
    this.source = source;
    this.logFactory = logFactory;
  }

  /** The HTTP port; 0 (the default) lets the OS pick a free one, see {@link #url()}. */
  public synchronized SchemaRegistryServer port(int port) {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
    }
    this.port = port;
    return this;
  }

  /** The topic that stores the schemas; {@code _schemas} by default, as in Confluent's registry. */
  public synchronized SchemaRegistryServer topic(String topic) {
    if (!requireText(topic, "topic").matches("[a-zA-Z0-9._-]{1,249}")) {
      throw new IllegalArgumentException(
          "topic '"
              + topic
              + "' is not a legal Kafka topic name "
              + "(letters, digits, '.', '_', '-', at most 249)");
    }
    this.topic = topic;
    return this;
  }

  /** A setting of the registry's own Kafka clients, e.g. the SASL settings of a secure cluster. */
  public synchronized SchemaRegistryServer clientProperty(String key, String value) {
    clientProperties.put(requireText(key, "key"), Objects.requireNonNull(value, "value of " + key));
    return this;
  }

  /**
   * Requires HTTP basic authentication on every request: the user and password must log in to the
   * Kafka cluster (SASL/SCRAM or SASL/PLAIN, the mechanism of the registry's own client settings),
   * so every Kafka principal has the same password here and a removed user loses access within a
   * minute. Only the {@code writers} may register schemas or change compatibility levels; any
   * authenticated user may read (401 with error code 401 without valid credentials, 403 with 40301
   * for a write).
   */
  public synchronized SchemaRegistryServer authenticateWithKafka(Collection<String> writers) {
    this.writers = Set.copyOf(writers);
    this.credentialCheck = null;
    return this;
  }

  /** Basic authentication against another source of truth; for unit tests without a broker. */
  synchronized SchemaRegistryServer authenticate(
      CredentialCheck check, Collection<String> writers) {
    this.writers = Set.copyOf(writers);
    this.credentialCheck = Objects.requireNonNull(check, "check");
    return this;
  }

  /**
   * Serves HTTPS with this context's certificate instead of HTTP (e.g. {@code
   * ServerCertificate.sslContext()}); the registry's own Kafka clients take their TLS settings from
   * {@link #clientProperty}.
   */
  public synchronized SchemaRegistryServer https(SSLContext context) {
    this.tls = Objects.requireNonNull(context, "TLS context");
    return this;
  }

  /** How long {@link #start()} may take to create and read the topic; 60 s by default. */
  public synchronized SchemaRegistryServer startTimeout(Duration timeout) {
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("startTimeout must be positive, was " + timeout);
    }
    this.startTimeout = timeout;
    return this;
  }

  /**
   * Creates the topic if missing, reads it to the end to rebuild the state, then serves HTTP.
   *
   * @throws IllegalStateException if already started, or the topic cannot be read within the
   *     timeout
   * @throws UncheckedIOException if the port cannot be bound
   */
  public synchronized SchemaRegistryServer start() {
    if (server != null) {
      throw new IllegalStateException("schema registry already serving at " + url());
    }
    long started = System.nanoTime();
    // Checked first: a registry that cannot authenticate must not start at all.
    CredentialCheck check =
        writers == null
            ? null
            : credentialCheck != null
                ? credentialCheck
                : new KafkaLoginCheck(source, clientProperties, "fpnas-schema-registry-login");
    SchemaLog newLog = logFactory.create(topic);
    RegistryState store = new RegistryState(newLog, writeTimeout);
    try {
      store.start(startTimeout);
      InetSocketAddress address = new InetSocketAddress(InetAddress.getByName("localhost"), port);
      HttpServer http;
      if (tls == null) {
        http = HttpServer.create(address, 0);
      } else {
        HttpsServer https = HttpsServer.create(address, 0);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        http = https;
      }
      http.createContext("/", handler(store, check));
      executor = Executors.newFixedThreadPool(THREADS, daemonThreads());
      http.setExecutor(executor);
      http.start();
      server = http;
      log = newLog;
    } catch (IOException e) {
      newLog.close();
      shutdownExecutor();
      throw new UncheckedIOException(
          "schema registry cannot listen on port " + port + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      newLog.close();
      shutdownExecutor();
      throw e;
    } catch (Exception e) {
      newLog.close();
      shutdownExecutor();
      throw new IllegalStateException("schema registry cannot start on " + source + ": " + e, e);
    }
    LOG.info(
        "Schema registry serving at {} after {} ms; schemas in topic '{}' at {}{}",
        url(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
        topic,
        source,
        writers == null ? "" : "; basic authentication on, writers " + writers);
    return this;
  }

  /**
   * The base URL clients use, e.g. {@code http://localhost:8081} ({@code https} with TLS); known
   * once started.
   */
  public synchronized String url() {
    if (server == null) {
      throw new IllegalStateException("schema registry is not serving; call start() first");
    }
    return (tls == null ? "http" : "https") + "://localhost:" + server.getAddress().getPort();
  }

  /**
   * Stops serving and closes the Kafka clients; the schemas stay in the topic. Does nothing if not
   * started.
   */
  @Override
  public synchronized void close() {
    if (server != null) {
      server.stop(0);
      server = null;
    }
    shutdownExecutor();
    if (log != null) {
      log.close();
      log = null;
    }
  }

  /** The registry itself, or the registry behind basic authentication. */
  private HttpHandler handler(RegistryState store, CredentialCheck check) {
    RegistryHandler registry = new RegistryHandler(store);
    return check == null ? registry : new BasicAuthFilter(registry, check, writers);
  }

  private void shutdownExecutor() {
    if (executor != null) {
      executor.shutdownNow();
      try {
        executor.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      executor = null;
    }
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, "schema-registry-http-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  private static String requireText(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    return value;
  }

  @Override
  public String toString() {
    return "SchemaRegistryServer[" + source + ", topic " + topic + "]";
  }
}
