package org.fpnas.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.apache.kafka.server.common.ShareVersion;
import org.fpnas.admin.ScramCredentials;
import org.fpnas.cluster.TopicAdmin;
import org.fpnas.tls.TlsMaterial;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft Kafka broker (combined broker and controller) whose data lives in a directory
 * the caller names, so that a restart keeps its topics and serves on the same address.
 *
 * <p>{@link #childProcess(Path)} is the default for long-running use: the broker runs in a child
 * JVM whose output goes to {@code broker.log} in the data dir, and a fatal broker fault cannot take
 * the caller down. The child ends with its parent: on a normal exit through a shutdown hook, and on
 * a SIGKILL of the parent because it watches its stdin pipe, which the OS closes then. If a broker
 * from an earlier run still holds the data dir, {@link #start()} waits briefly for it to go and
 * otherwise fails naming its pid. {@link #inProcess(Path)} runs the broker in this JVM, faster, for
 * tests; there a fatal broker fault halts the JVM.
 *
 * <p>With {@link #secure(boolean)} clients must log in with SASL/SCRAM-SHA-256 and Kafka's standard
 * authorizer denies whatever no ACL allows; the administrator ({@value #ADMIN_USER}, a super user)
 * gets a generated password when the data dir is formatted. A data dir is secure or not for good.
 * With {@link #tls(TlsMaterial)} the client listener serves TLS (SSL, or SASL_SSL when secure).
 *
 * <p>Data dir layout: {@code logs/} (Kafka's log and metadata dir), {@code cluster.id}, {@code
 * ports.properties} (the ports chosen the first time), {@code server.properties} (rewritten on
 * every start), {@code broker.log} and {@code broker.pid} (child process only), {@code
 * secrets.properties} (secure only; the super users' passwords, readable by the owner only), {@code
 * tls-keystore.pem} (TLS only; the server's key and chain, readable by the owner only).
 */
public final class KafkaBroker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);

  /** The administrator of a secure broker: a super user, for people and tools. */
  public static final String ADMIN_USER = "admin";

  /** Topic created on start to prove the broker can host partitions; harmless and reused. */
  static final String PROBE_TOPIC = "_fpnas_broker_ready";

  private static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration STALE_OWNER_WAIT = Duration.ofSeconds(15);
  private static final Duration ATTEMPT = Duration.ofSeconds(5);

  /**
   * Data dirs that a broker of this JVM uses; Kafka's file lock cannot be probed safely from the
   * same JVM.
   */
  private static final Set<Path> IN_USE = ConcurrentHashMap.newKeySet();

  private final Path dataDir;
  private final boolean child;
  private final Map<String, String> properties = new LinkedHashMap<>();
  private final List<String> jvmOptions = new ArrayList<>();
  private int port;
  private int controllerPort;
  private Duration startTimeout = DEFAULT_START_TIMEOUT;
  private boolean secure;
  private TlsMaterial tls;

  private BrokerRuntime runtime;
  private BrokerSettings settings;
  private boolean holdsDataDir;

  private KafkaBroker(Path dataDir, boolean child) {
    this.dataDir = Objects.requireNonNull(dataDir, "dataDir").toAbsolutePath().normalize();
    this.child = child;
  }

  /**
   * A broker in a child JVM (the default for long-running use); its log is {@code broker.log} in
   * the data dir.
   */
  public static KafkaBroker childProcess(Path dataDir) {
    return new KafkaBroker(dataDir, true);
  }

  /** A broker in this JVM, for tests: starts faster, but a fatal broker fault halts this JVM. */
  public static KafkaBroker inProcess(Path dataDir) {
    return new KafkaBroker(dataDir, false);
  }

  /**
   * The client port; 0 (the default) picks a free one the first time and reuses it on every later
   * start.
   */
  public synchronized KafkaBroker port(int port) {
    this.port = checkPort(port, "port");
    return this;
  }

  /** The controller port; 0 (the default) picks a free one the first time and reuses it later. */
  public synchronized KafkaBroker controllerPort(int controllerPort) {
    this.controllerPort = checkPort(controllerPort, "controllerPort");
    return this;
  }

  /**
   * An extra broker setting, e.g. {@code log.retention.hours}; listeners, ids and dirs are managed
   * here.
   */
  public synchronized KafkaBroker property(String key, String value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value of " + key);
    if (BrokerSettings.MANAGED_KEYS.contains(key)
        || key.startsWith(BrokerSettings.LISTENER_PREFIX)) {
      throw new IllegalArgumentException(
          "broker property '"
              + key
              + "' is managed by KafkaBroker "
              + "(use port(), controllerPort(), secure() or the data dir instead)");
    }
    properties.put(key, value);
    return this;
  }

  /**
   * An extra option for the child JVM, e.g. {@code -Xmx2g}; only for {@link #childProcess(Path)}.
   */
  public synchronized KafkaBroker jvmOption(String option) {
    Objects.requireNonNull(option, "option");
    if (!child) {
      throw new IllegalStateException(
          "jvmOption applies to a child-process broker; this one runs in-process");
    }
    jvmOptions.add(option);
    return this;
  }

  /**
   * Turns authentication and authorization on (off by default): SASL/SCRAM-SHA-256 on the client
   * listener, {@code StandardAuthorizer} with {@code allow.everyone.if.no.acl.found=false}, and the
   * administrator as super user. The first start formats the data dir with the administrator's
   * SCRAM credentials; a data dir formatted without security cannot be made secure later, and the
   * reverse.
   */
  public synchronized KafkaBroker secure(boolean secure) {
    this.secure = secure;
    return this;
  }

  /**
   * Serves TLS on the client listener with this certificate (SASL_SSL when secure, SSL otherwise);
   * null (the default) serves without. Clients must trust the material's CA ({@link
   * #clientProperties()}). The controller listener, bound to localhost, stays without TLS.
   */
  public synchronized KafkaBroker tls(TlsMaterial material) {
    this.tls = material;
    return this;
  }

  /** How long {@link #start()} may take before it fails; 60 s by default. */
  public synchronized KafkaBroker startTimeout(Duration timeout) {
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("startTimeout must be positive, was " + timeout);
    }
    this.startTimeout = timeout;
    return this;
  }

  /**
   * Formats the data dir if needed, starts the broker and returns once it serves requests: the
   * cluster is described and a topic can be created and answers {@code listOffsets}.
   *
   * @throws IllegalStateException if it is already running, the data dir or a port is in use, or
   *     the broker does not serve within the start timeout (the message has the tail of its log)
   */
  public synchronized KafkaBroker start() {
    if (runtime != null && runtime.isAlive()) {
      throw new IllegalStateException(
          "broker in " + dataDir + " is already running at " + bootstrapServers());
    }
    long started = System.nanoTime();
    long deadline = started + startTimeout.toNanos();
    if (!holdsDataDir) {
      if (!IN_USE.add(dataDir)) {
        throw new IllegalStateException(
            "data dir "
                + dataDir
                + " is already used by another KafkaBroker "
                + "in this JVM; stop that one first or choose another data dir");
      }
      holdsDataDir = true;
    }
    if (runtime != null) {
      // A broker that died on its own: drop what is left of it (its shutdown hook, its pid file).
      runtime.stop(STOP_TIMEOUT);
    }
    BrokerRuntime next = child ? new ChildProcessRuntime(jvmOptions) : new InProcessRuntime();
    try {
      settings =
          BrokerSettings.resolve(
              dataDir,
              port,
              controllerPort,
              properties,
              secrets(),
              tls == null ? null : BrokerTls.write(dataDir, tls));
      awaitNoOtherOwner(settings);
      checkPortFree(settings.port, "port");
      checkPortFree(settings.controllerPort, "controller port");
      if (!settings.isFormatted()) {
        format(settings);
      }
      runtime = next;
      next.launch(settings);
      awaitServing(next, deadline);
    } catch (RuntimeException | Error e) {
      abandon(next);
      throw e;
    } catch (Exception e) {
      abandon(next);
      throw new IllegalStateException(
          "cannot start broker in " + dataDir + ": " + e.getMessage(), e);
    }
    LOG.info(
        "Kafka broker ({}) serving at {} after {} ms; data in {}",
        child ? "child pid " + next.pid() : "in-process",
        bootstrapServers(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
        dataDir);
    return this;
  }

  /** The administrator's credentials (a super user); only for a secure broker that has started. */
  public synchronized ScramCredentials adminCredentials() {
    if (settings == null || !settings.isSecure()) {
      throw new IllegalStateException(
          "broker in "
              + dataDir
              + (settings == null ? " has not been started" : " runs without security")
              + "; it has no administrator credentials");
    }
    return settings.secrets.admin;
  }

  /**
   * The client settings, besides {@code bootstrap.servers}, that connect as the administrator: the
   * SASL settings of {@link #adminCredentials()} for a secure broker, none otherwise. Known once
   * started.
   */
  public synchronized Map<String, String> adminClientProperties() {
    Map<String, String> transport = clientProperties();
    return settings.isSecure() ? settings.secrets.admin.clientProperties(transport) : transport;
  }

  /**
   * The client settings, besides {@code bootstrap.servers} and a login, that reach the client
   * listener: TLS trusting the CA when it serves TLS, none otherwise. Known once started.
   */
  public synchronized Map<String, String> clientProperties() {
    bootstrapServers();
    return settings.tls == null ? Map.of() : settings.tls.clientProperties();
  }

  /** Where clients connect, e.g. {@code localhost:9092}; known once the broker has started. */
  public synchronized String bootstrapServers() {
    if (settings == null) {
      throw new IllegalStateException(
          "broker in " + dataDir + " has not been started; its port is not known");
    }
    return settings.bootstrapServers();
  }

  /** The broker's data dir. */
  public Path dataDir() {
    return dataDir;
  }

  /** The child process's pid, or -1 for an in-process broker or one that is not running. */
  public synchronized long pid() {
    return runtime == null ? -1 : runtime.pid();
  }

  /** True while the broker process (or in-process server) is up. */
  public synchronized boolean isRunning() {
    return runtime != null && runtime.isAlive();
  }

  /** Shuts the broker down cleanly, forcing it after 30 s; does nothing if it is not running. */
  public synchronized void stop() {
    try {
      if (runtime != null) {
        runtime.stop(STOP_TIMEOUT);
      }
    } finally {
      releaseDataDir();
    }
  }

  /**
   * Kills the child process with SIGKILL, as a crash would, for fault tests; child process only.
   */
  public synchronized void kill() {
    if (!child) {
      throw new UnsupportedOperationException(
          "kill() needs a child-process broker (KafkaBroker.childProcess)");
    }
    try {
      if (runtime != null) {
        runtime.kill();
      }
    } finally {
      releaseDataDir();
    }
  }

  /** Same as {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }

  /**
   * The secrets of a secure broker, created before its first format; null without security. A data
   * dir keeps the mode it was formatted with: SCRAM users can only be bootstrapped by the format,
   * and opening a secure dir without security would drop every ACL's protection.
   */
  private BrokerSecrets secrets() {
    boolean formatted = Files.exists(BrokerSettings.logDir(dataDir).resolve("meta.properties"));
    boolean hasSecrets = BrokerSecrets.exist(dataDir);
    if (secure && formatted && !hasSecrets) {
      throw new IllegalStateException(
          "data dir "
              + dataDir
              + " holds a broker formatted without security; "
              + "its administrator's SCRAM credentials can only be created when a data dir is formatted, "
              + "so use a new data dir for a secure broker");
    }
    if (!secure && hasSecrets && formatted) {
      throw new IllegalStateException(
          "data dir "
              + dataDir
              + " holds a secure broker (SASL/SCRAM and ACLs); "
              + "start it with security on (KafkaBroker.secure(true), fpnas --secure)");
    }
    if (!secure && hasSecrets) {
      BrokerSecrets.discard(
          dataDir); // left by a secure start that never formatted; this dir will be plain
    }
    return secure ? BrokerSecrets.loadOrCreate(dataDir) : null;
  }

  private static int checkPort(int port, String name) {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException(name + " must be between 0 and 65535, was " + port);
    }
    return port;
  }

  private void abandon(BrokerRuntime failed) {
    try {
      if (failed.isAlive()) {
        if (child) {
          failed.kill();
        } else {
          failed.stop(STOP_TIMEOUT);
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("cleaning up after a failed start of the broker in {}: {}", dataDir, e.toString());
    } finally {
      releaseDataDir();
    }
  }

  private void releaseDataDir() {
    if (holdsDataDir) {
      IN_USE.remove(dataDir);
      holdsDataDir = false;
    }
  }

  /**
   * Kafka locks {@code logs/.lock} while it runs. A broker left by an earlier run (whose parent was
   * SIGKILLed) exits by itself within seconds, so wait a little before failing with its pid.
   */
  private static void awaitNoOtherOwner(BrokerSettings settings) throws IOException {
    Path lockFile = settings.logDir().resolve(".lock");
    if (!Files.exists(lockFile)) {
      return;
    }
    long deadline = System.nanoTime() + STALE_OWNER_WAIT.toNanos();
    while (true) {
      if (canLock(lockFile)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        String owner =
            ownerPid(settings)
                .map(pid -> "process " + pid + " (a broker from an earlier run?)")
                .orElse("another process");
        throw new IllegalStateException(
            "data dir "
                + settings.dataDir
                + " is locked by "
                + owner
                + "; stop it or choose another data dir");
      }
      sleep(200);
    }
  }

  private static boolean canLock(Path lockFile) throws IOException {
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        return false;
      }
      lock.release();
      return true;
    } catch (OverlappingFileLockException e) {
      return false;
    }
  }

  private static Optional<Long> ownerPid(BrokerSettings settings) {
    try {
      long pid =
          Long.parseLong(Files.readString(settings.pidFile(), StandardCharsets.UTF_8).trim());
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(ProcessHandle::pid);
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private void checkPortFree(int p, String what) {
    if (!BrokerSettings.isPortFree(p)) {
      throw new IllegalStateException(
          "broker "
              + what
              + " "
              + p
              + " is in use by another process; "
              + (p == port || p == controllerPort
                  ? "choose another one"
                  : "it was chosen on an earlier start and is remembered in "
                      + dataDir.resolve("ports.properties")
                      + "; free it, or set the port explicitly"));
    }
  }

  private static void format(BrokerSettings settings) throws Exception {
    Files.createDirectories(settings.logDir());
    String logDir = settings.logDir().toAbsolutePath().toString();
    try (PrintStream quiet =
        new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8)) {
      new Formatter()
          .setPrintStream(quiet)
          .setNodeId(BrokerSettings.NODE_ID)
          .setClusterId(settings.clusterId)
          .setDirectories(List.of(logDir))
          .setMetadataLogDirectory(logDir)
          .setControllerListenerName(BrokerSettings.CONTROLLER_LISTENER)
          .setReleaseVersion(MetadataVersion.latestProduction())
          .setUnstableFeatureVersionsEnabled(false)
          // Evaluators take samples through a share group; say so rather than rely on the release
          // default.
          .setFeatureLevel(ShareVersion.FEATURE_NAME, ShareVersion.SV_1.featureLevel())
          .setIgnoreFormatted(true)
          .setScramArguments(settings.isSecure() ? settings.secrets.scramArguments() : List.of())
          .run();
    }
  }

  private void awaitServing(BrokerRuntime rt, long deadline) {
    Object last = null;
    // First the port: an admin client pointed at a closed port only logs connection warnings.
    while (!accepts(settings.port)) {
      checkAlive(rt);
      if (System.nanoTime() > deadline) {
        throw notServing(rt, "port " + settings.port + " never accepted connections");
      }
      sleep(100);
    }
    Properties config = new Properties();
    config.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    config.setProperty(AdminClientConfig.CLIENT_ID_CONFIG, "fpnas-broker-readiness");
    config.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    config.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
    config.setProperty(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, "100");
    config.putAll(adminClientProperties());
    try (Admin admin = Admin.create(config)) {
      while (true) {
        checkAlive(rt);
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          throw notServing(rt, String.valueOf(last));
        }
        Duration attempt = Duration.ofNanos(Math.min(remaining, ATTEMPT.toNanos()));
        try {
          admin.describeCluster().nodes().get(attempt.toMillis(), TimeUnit.MILLISECONDS);
          TopicAdmin.createAndAwait(
              admin, List.of(new NewTopic(PROBE_TOPIC, 1, (short) 1)), attempt);
          return;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while starting the broker in " + dataDir, e);
        } catch (Exception e) {
          // Each attempt is short so that a broker that died is noticed quickly.
          last = e;
        }
      }
    }
  }

  private void checkAlive(BrokerRuntime rt) {
    if (!rt.isAlive()) {
      Integer exit = rt.exitCode();
      throw new IllegalStateException(
          "broker in "
              + dataDir
              + " exited during start"
              + (exit == null ? "" : " with code " + exit)
              + logTail(rt));
    }
  }

  private IllegalStateException notServing(BrokerRuntime rt, String reason) {
    return new IllegalStateException(
        "broker in "
            + dataDir
            + " did not serve requests at "
            + settings.bootstrapServers()
            + " within "
            + startTimeout.toMillis()
            + " ms (last: "
            + reason
            + ")"
            + logTail(rt));
  }

  private static String logTail(BrokerRuntime rt) {
    String tail = rt.diagnostics();
    return tail.isBlank() ? "" : "; tail of its log:" + System.lineSeparator() + tail;
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(BrokerSettings.host(), port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting a broker", e);
    }
  }

  @Override
  public String toString() {
    return "KafkaBroker["
        + (child ? "child process" : "in-process")
        + ", "
        + dataDir
        + (settings == null ? "" : ", " + settings.bootstrapServers())
        + "]";
  }
}
