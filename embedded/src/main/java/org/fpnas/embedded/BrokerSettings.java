package org.fpnas.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.fpnas.admin.ScramCredentials;
import org.fpnas.admin.SecretFiles;

/** The on-disk layout and the server properties of one single-node KRaft broker. */
final class BrokerSettings {

  static final int NODE_ID = 1;
  static final String CONTROLLER_LISTENER = "CONTROLLER";

  /** Share session timeout of the brokers we start (Kafka's default and minimum: 45 s). */
  static final int SHARE_SESSION_TIMEOUT_MS = 6000;

  /** Share group heartbeat interval of the brokers we start (Kafka's default and minimum: 5 s). */
  static final int SHARE_HEARTBEAT_MS = 1000;

  /**
   * Keys that the launcher owns; letting callers set them would break the layout or the port
   * memory.
   */
  static final Set<String> MANAGED_KEYS =
      Set.of(
          "process.roles",
          "node.id",
          "listeners",
          "advertised.listeners",
          "controller.listener.names",
          "inter.broker.listener.name",
          "listener.security.protocol.map",
          "controller.quorum.voters",
          "controller.quorum.bootstrap.servers",
          "log.dirs",
          "log.dir",
          "metadata.log.dir",
          // Security is all or nothing (KafkaBroker.secure): half of it would be an open door that
          // looks shut.
          "security.inter.broker.protocol",
          "sasl.enabled.mechanisms",
          "sasl.mechanism.inter.broker.protocol",
          "sasl.mechanism.controller.protocol",
          "authorizer.class.name",
          "super.users",
          "allow.everyone.if.no.acl.found");

  /** Prefix of per-listener settings, which the launcher owns like the listeners themselves. */
  static final String LISTENER_PREFIX = "listener.name.";

  static final String AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";

  private static final String PORTS_FILE = "ports.properties";
  private static final String CLUSTER_ID_FILE = "cluster.id";

  final Path dataDir;
  final int port;
  final int controllerPort;
  final String clusterId;

  /** The super users' credentials when security is on, else null. */
  final BrokerSecrets secrets;

  /** The client listener's TLS, else null. */
  final BrokerTls tls;

  private final Map<String, String> extra;

  private BrokerSettings(
      Path dataDir,
      int port,
      int controllerPort,
      String clusterId,
      BrokerSecrets secrets,
      BrokerTls tls,
      Map<String, String> extra) {
    this.dataDir = dataDir;
    this.port = port;
    this.controllerPort = controllerPort;
    this.clusterId = clusterId;
    this.secrets = secrets;
    this.tls = tls;
    this.extra = extra;
  }

  /**
   * Like {@link #resolve(Path, int, int, Map, BrokerSecrets, BrokerTls)} for a broker without
   * security or TLS.
   */
  static BrokerSettings resolve(
      Path dataDir, int requestedPort, int requestedControllerPort, Map<String, String> extra) {
    return resolve(dataDir, requestedPort, requestedControllerPort, extra, null, null);
  }

  /**
   * Resolves ports and cluster id for a start: an explicit port wins, else the one remembered in
   * the data dir, else a free one, which is then remembered so that a restart serves on the same
   * address.
   */
  static BrokerSettings resolve(
      Path dataDir,
      int requestedPort,
      int requestedControllerPort,
      Map<String, String> extra,
      BrokerSecrets secrets,
      BrokerTls tls) {
    try {
      Files.createDirectories(dataDir);
      Properties remembered = readProperties(dataDir.resolve(PORTS_FILE));
      int port = choosePort(requestedPort, remembered.getProperty("port"), -1);
      int controllerPort =
          choosePort(requestedControllerPort, remembered.getProperty("controller.port"), port);
      if (port == controllerPort) {
        throw new IllegalArgumentException(
            "broker port and controller port are both " + port + "; they must differ");
      }
      Properties ports = new Properties();
      ports.setProperty("port", Integer.toString(port));
      ports.setProperty("controller.port", Integer.toString(controllerPort));
      writeProperties(
          dataDir.resolve(PORTS_FILE), ports, "ports of the embedded broker, reused on restart");
      return new BrokerSettings(
          dataDir,
          port,
          controllerPort,
          clusterId(dataDir),
          secrets,
          tls,
          new LinkedHashMap<>(extra));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot prepare broker data dir " + dataDir + ": " + e.getMessage(), e);
    }
  }

  private static int choosePort(int requested, String remembered, int avoid) throws IOException {
    if (requested > 0) {
      return requested;
    }
    if (remembered != null) {
      try {
        return Integer.parseInt(remembered.trim());
      } catch (NumberFormatException e) {
        // A damaged file should not block a start; a fresh port is as good as a lost one.
      }
    }
    for (int attempt = 0; attempt < 5; attempt++) {
      int candidate = freePort();
      if (candidate != avoid) {
        return candidate;
      }
    }
    throw new IOException("no free local port found");
  }

  /** Asks the OS for a currently free port on the loopback interface. */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(host(), 0));
      return socket.getLocalPort();
    }
  }

  /** The address that "localhost" in the listeners resolves to, which is where the broker binds. */
  static InetAddress host() {
    try {
      return InetAddress.getByName("localhost");
    } catch (java.net.UnknownHostException e) {
      return InetAddress.getLoopbackAddress();
    }
  }

  /**
   * True when nothing listens on the port now, so that a start fails fast instead of in the broker.
   */
  static boolean isPortFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(host(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String clusterId(Path dataDir) throws IOException {
    Path file = dataDir.resolve(CLUSTER_ID_FILE);
    if (Files.exists(file)) {
      String id = Files.readString(file, StandardCharsets.UTF_8).trim();
      if (!id.isEmpty()) {
        return id;
      }
    }
    // A log dir formatted before the id file existed keeps its own id.
    Properties meta = readProperties(logDir(dataDir).resolve("meta.properties"));
    String id = meta.getProperty("cluster.id", Uuid.randomUuid().toString());
    Files.writeString(file, id + "\n", StandardCharsets.UTF_8);
    return id;
  }

  static Path logDir(Path dataDir) {
    return dataDir.resolve("logs");
  }

  Path logDir() {
    return logDir(dataDir);
  }

  boolean isFormatted() {
    return Files.exists(logDir().resolve("meta.properties"));
  }

  Path serverPropertiesFile() {
    return dataDir.resolve("server.properties");
  }

  Path logFile() {
    return dataDir.resolve("broker.log");
  }

  Path pidFile() {
    return dataDir.resolve("broker.pid");
  }

  String bootstrapServers() {
    return "localhost:" + port;
  }

  /**
   * The broker's configuration: single node, combined broker and controller, tuned to start fast.
   */
  Properties serverProperties() {
    Properties p = new Properties();
    p.setProperty("process.roles", "broker,controller");
    p.setProperty("node.id", Integer.toString(NODE_ID));
    p.setProperty("controller.quorum.voters", NODE_ID + "@localhost:" + controllerPort);
    String listener = clientListener();
    p.setProperty(
        "listeners",
        listener
            + "://localhost:"
            + port
            + ","
            + CONTROLLER_LISTENER
            + "://localhost:"
            + controllerPort);
    p.setProperty("advertised.listeners", listener + "://localhost:" + port);
    p.setProperty("controller.listener.names", CONTROLLER_LISTENER);
    p.setProperty("inter.broker.listener.name", listener);
    // The controller listener stays on localhost without TLS: it never leaves the machine.
    p.setProperty(
        "listener.security.protocol.map",
        listener
            + ":"
            + listener
            + ","
            + CONTROLLER_LISTENER
            + ":"
            + (isSecure() ? "SASL_PLAINTEXT" : "PLAINTEXT"));
    p.setProperty("log.dirs", logDir().toAbsolutePath().toString());
    // One node: every internal topic has one replica, and one partition is plenty.
    p.setProperty("offsets.topic.replication.factor", "1");
    p.setProperty("offsets.topic.num.partitions", "1");
    p.setProperty("transaction.state.log.replication.factor", "1");
    p.setProperty("transaction.state.log.min.isr", "1");
    p.setProperty("transaction.state.log.num.partitions", "1");
    p.setProperty("share.coordinator.state.topic.replication.factor", "1");
    p.setProperty("share.coordinator.state.topic.min.isr", "1");
    p.setProperty("share.coordinator.state.topic.num.partitions", "1");
    // A share group's lock and delivery limit are group configs; the broker bounds them. The lower
    // bound goes from 15 s to 1 s so that a test (or an operator with short evaluations) can hand a
    // dead evaluator's sample on within seconds. Defaults stay Kafka's: 30 s lock, 5 deliveries.
    p.setProperty("group.share.min.record.lock.duration.ms", "1000");
    // A SIGKILLed evaluator's partitions go to the others only when its share session times out
    // (Kafka's default and minimum: 45 s; a share group gives each partition to one member while
    // members are fewer than partitions). 6 s here, with 1 s heartbeats, so that failover takes
    // seconds; heartbeats also carry assignment changes, so members joining and leaving settle
    // sooner too. A real cluster sets the same two pairs (docs/operations.md, "Share groups on a
    // cluster").
    p.setProperty("group.share.session.timeout.ms", Integer.toString(SHARE_SESSION_TIMEOUT_MS));
    p.setProperty("group.share.min.session.timeout.ms", Integer.toString(SHARE_SESSION_TIMEOUT_MS));
    p.setProperty("group.share.heartbeat.interval.ms", Integer.toString(SHARE_HEARTBEAT_MS));
    p.setProperty("group.share.min.heartbeat.interval.ms", Integer.toString(SHARE_HEARTBEAT_MS));
    p.setProperty("default.replication.factor", "1");
    p.setProperty("min.insync.replicas", "1");
    p.setProperty("num.partitions", "1");
    p.setProperty("auto.create.topics.enable", "false");
    // Consumer groups form at once instead of waiting for more members that never come.
    p.setProperty("group.initial.rebalance.delay.ms", "0");
    // The cleaner's default 128 MiB dedupe buffer is sized for production topics, not a laptop.
    p.setProperty("log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024));
    // After a crash the restarted controller refuses the broker's new registration until the old
    // one's
    // session expires (DUPLICATE_BROKER_REGISTRATION): 9 s by default, here 4 s, with heartbeats
    // frequent enough that a healthy broker never misses the shorter session.
    p.setProperty("broker.heartbeat.interval.ms", "500");
    p.setProperty("broker.session.timeout.ms", "4000");
    p.setProperty("num.network.threads", "2");
    p.setProperty("num.io.threads", "4");
    p.setProperty("num.recovery.threads.per.data.dir", "1");
    p.setProperty("background.threads", "4");
    if (secrets != null) {
      p.putAll(securityProperties());
    }
    if (tls != null) {
      p.putAll(tls.listenerProperties(listener));
    }
    p.putAll(extra);
    return p;
  }

  /**
   * Clients log in with SASL/SCRAM-SHA-256 on the client listener and Kafka's standard authorizer
   * decides what they may do, denying whatever no ACL allows. The controller listener (localhost
   * only) takes SASL/PLAIN with the node's own password in this file: SCRAM cannot serve it,
   * because the controller needs that listener before it has read the SCRAM credentials from its
   * metadata log. The node's principal and the administrator are the super users.
   */
  private Map<String, String> securityProperties() {
    String broker = secrets.broker.user();
    String brokerPassword = secrets.broker.password();
    Map<String, String> p = new LinkedHashMap<>();
    p.put("sasl.enabled.mechanisms", ScramCredentials.MECHANISM);
    p.put("sasl.mechanism.inter.broker.protocol", ScramCredentials.MECHANISM);
    p.put(
        LISTENER_PREFIX
            + clientListener().toLowerCase(java.util.Locale.ROOT)
            + ".scram-sha-256.sasl.jaas.config",
        secrets.broker.jaasConfig());
    p.put("sasl.mechanism.controller.protocol", "PLAIN");
    p.put(LISTENER_PREFIX + "controller.sasl.enabled.mechanisms", "PLAIN");
    p.put(
        LISTENER_PREFIX + "controller.plain.sasl.jaas.config",
        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
            + broker
            + "\" password=\""
            + brokerPassword
            + "\" user_"
            + broker
            + "=\""
            + brokerPassword
            + "\";");
    p.put("authorizer.class.name", AUTHORIZER);
    p.put("allow.everyone.if.no.acl.found", "false");
    p.put("super.users", "User:" + broker + ";" + secrets.admin.principal());
    return p;
  }

  boolean isSecure() {
    return secrets != null;
  }

  /** The client listener's name, which is its protocol: SASL with security, SSL with TLS. */
  String clientListener() {
    return (isSecure() ? "SASL_" : "") + (tls != null ? "SSL" : "PLAINTEXT");
  }

  void writeServerProperties() {
    String comment = "written by fpnas KafkaBroker on every start";
    if (isSecure()) {
      // It holds the node's password: owner-only, like the secrets file.
      SecretFiles.writeProperties(serverPropertiesFile(), serverProperties(), comment);
    } else {
      writeProperties(serverPropertiesFile(), serverProperties(), comment);
    }
  }

  static Properties readProperties(Path file) {
    Properties p = new Properties();
    if (Files.exists(file)) {
      try (InputStream in = Files.newInputStream(file)) {
        p.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
      }
    }
    return p;
  }

  static void writeProperties(Path file, Properties p, String comment) {
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      try (OutputStream out = Files.newOutputStream(tmp)) {
        p.store(out, comment);
      }
      Files.move(
          tmp,
          file,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
