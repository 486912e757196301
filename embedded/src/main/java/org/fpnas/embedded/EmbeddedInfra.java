package org.fpnas.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.acl.AclBinding;
import org.fpnas.admin.AccessRules;
import org.fpnas.admin.AccessSetup;
import org.fpnas.admin.ClientTls;
import org.fpnas.admin.ScramCredentials;
import org.fpnas.schemas.RegistryTrust;
import org.fpnas.schemas.SchemaRegistryClient;
import org.fpnas.tls.LocalCertificateAuthority;
import org.fpnas.tls.TlsMaterial;

/**
 * The one-machine infrastructure: a KRaft broker (data in {@code dataDir/kafka}) and a schema
 * registry on it. Both remember their ports in the data dir, so that a restart on the same dir
 * serves on the same addresses and resumes with the same topics and schema ids.
 *
 * <p>With {@link #secure(boolean)} the broker requires SASL/SCRAM and ACLs (see {@link
 * KafkaBroker#secure}), a services principal ({@value #SERVICES_USER}) is created with the ACLs
 * given to {@link #acls}, and the registry runs as that principal and requires HTTP basic
 * authentication, taking writes only from it and the administrator. Ready-made client settings for
 * both are written, readable by the owner only, to {@code dataDir/credentials/}: {@code
 * admin.properties} and {@code fpnas-services.properties}.
 *
 * <p>With {@link #tls(boolean)} the broker's client listener serves TLS (SSL, or SASL_SSL when
 * secure) and the registry HTTPS, with certificates for localhost that a local certificate
 * authority makes in {@code dataDir/tls/} on the first start and keeps ({@code ca.pem} is what
 * clients trust), or with the operator's own ({@link #tls(TlsMaterial)}). The client settings files
 * then carry the truststore too; without security one is written for anybody, {@code
 * credentials/client.properties}.
 */
public final class EmbeddedInfra implements AutoCloseable {

  /**
   * The principal that the shared services (controller, evaluators, the registry) run as when
   * secure.
   */
  public static final String SERVICES_USER = "fpnas-services";

  private static final String REGISTRY_PORT_FILE = "registry.properties";
  private static final String REGISTRY_TOPIC = "_schemas";
  private static final Duration SECURITY_TIMEOUT = Duration.ofSeconds(30);

  private final Path dataDir;
  private int kafkaPort;
  private int registryPort;
  private boolean inProcess;
  private boolean secure;
  private boolean tls;
  private TlsMaterial tlsMaterial;
  private final List<AclBinding> acls = new ArrayList<>();
  private ScramCredentials services;

  private KafkaBroker broker;
  private SchemaRegistryServer registry;

  /** Infrastructure whose data lives under {@code dataDir} (created if missing). */
  public EmbeddedInfra(Path dataDir) {
    this.dataDir = Objects.requireNonNull(dataDir, "dataDir").toAbsolutePath().normalize();
  }

  /** The broker's client port; 0 (default) picks one the first time and keeps it. */
  public synchronized EmbeddedInfra kafkaPort(int port) {
    this.kafkaPort = checkPort(port, "kafkaPort");
    return this;
  }

  /** The registry's HTTP port; 0 (default) picks one the first time and keeps it. */
  public synchronized EmbeddedInfra registryPort(int port) {
    this.registryPort = checkPort(port, "registryPort");
    return this;
  }

  /**
   * Runs the broker in this JVM instead of a child process (faster, for tests; a fatal fault halts
   * the JVM).
   */
  public synchronized EmbeddedInfra inProcess(boolean inProcess) {
    this.inProcess = inProcess;
    return this;
  }

  /**
   * Turns authentication and authorization on (off by default) for the broker and the registry; a
   * data dir keeps the mode of its first start.
   */
  public synchronized EmbeddedInfra secure(boolean secure) {
    this.secure = secure;
    return this;
  }

  /**
   * Serves TLS on the broker's client listener and HTTPS on the registry (off by default), with
   * certificates for localhost made and kept in {@code dataDir/tls/}.
   */
  public synchronized EmbeddedInfra tls(boolean tls) {
    this.tls = tls;
    this.tlsMaterial = null;
    return this;
  }

  /**
   * Serves TLS like {@link #tls(boolean)}, with the operator's certificate (which must name {@code
   * localhost}, where the broker and the registry are reached) and the CA that clients trust.
   */
  public synchronized EmbeddedInfra tls(TlsMaterial material) {
    this.tlsMaterial = Objects.requireNonNull(material, "TLS material");
    this.tls = true;
    return this;
  }

  /**
   * ACLs to create on every secure start, once the broker serves and before anything else connects,
   * e.g. the services principal's; creating one that exists changes nothing. The registry's own
   * ACLs (its topic) are always created.
   */
  public synchronized EmbeddedInfra acls(Collection<AclBinding> bindings) {
    acls.addAll(bindings);
    return this;
  }

  /** Starts the broker, then the registry; on failure nothing is left running. */
  public synchronized EmbeddedInfra start() {
    if (broker != null) {
      throw new IllegalStateException("infrastructure in " + dataDir + " is already running");
    }
    Path kafkaDir = dataDir.resolve("kafka");
    TlsMaterial material = !tls ? null : tlsMaterial != null ? tlsMaterial : generatedTls();
    KafkaBroker newBroker =
        (inProcess ? KafkaBroker.inProcess(kafkaDir) : KafkaBroker.childProcess(kafkaDir))
            .port(kafkaPort)
            .secure(secure)
            .tls(material);
    newBroker.start();
    try {
      int port = registryPort();
      SchemaRegistryServer newRegistry =
          new SchemaRegistryServer(newBroker.bootstrapServers()).port(port);
      Map<String, String> transport = newBroker.clientProperties();
      if (material != null) {
        newRegistry.https(material.server().sslContext());
      }
      if (secure) {
        services = prepareServices(newBroker, transport);
        services.clientProperties(transport).forEach(newRegistry::clientProperty);
        newRegistry.authenticateWithKafka(Set.of(SERVICES_USER, KafkaBroker.ADMIN_USER));
      } else {
        transport.forEach(newRegistry::clientProperty);
      }
      registry = newRegistry.start();
      rememberRegistryPort(registry.url());
      if (secure) {
        writeClientConfigs(newBroker, registry.url(), transport);
      } else if (material != null) {
        writeTlsClientConfig(newBroker, registry.url(), transport);
      }
    } catch (RuntimeException | Error e) {
      if (registry != null) {
        registry.close();
        registry = null;
      }
      services = null;
      newBroker.stop();
      throw e;
    }
    broker = newBroker;
    return this;
  }

  /** Whether the broker serves TLS and the registry HTTPS. */
  public synchronized boolean isTls() {
    return tls;
  }

  /**
   * The client settings, besides a login, that reach the broker: TLS trusting the CA, or none
   * without TLS. Known once started.
   */
  public synchronized Map<String, String> clientProperties() {
    return broker().clientProperties();
  }

  /** The client settings that log in as these credentials over {@link #clientProperties()}. */
  public synchronized Map<String, String> clientProperties(ScramCredentials who) {
    return who.clientProperties(clientProperties());
  }

  /**
   * A client of the registry that trusts its certificate when it serves HTTPS, logging in with the
   * credentials if they are not null.
   */
  public synchronized SchemaRegistryClient registryClient(ScramCredentials who) {
    SchemaRegistryClient client = new SchemaRegistryClient(schemaRegistryUrl());
    RegistryTrust.fromClientSettings(clientProperties()).ifPresent(client::trust);
    return who == null ? client : client.basicAuth(who.user(), who.password());
  }

  /** Whether the broker and registry require authentication. */
  public synchronized boolean isSecure() {
    return secure;
  }

  /** The administrator's credentials (a super user); secure only. */
  public synchronized ScramCredentials adminCredentials() {
    return broker().adminCredentials();
  }

  /** The services principal's credentials; secure only. */
  public synchronized ScramCredentials servicesCredentials() {
    broker();
    if (services == null) {
      throw new IllegalStateException(
          "infrastructure in "
              + dataDir
              + " runs without security; "
              + "it has no services principal");
    }
    return services;
  }

  /**
   * Where the client settings files of the administrator and the services principal are written
   * when secure.
   */
  public Path credentialsDir() {
    return dataDir.resolve("credentials");
  }

  /** The administrator's client settings file (Kafka SASL settings and registry basic auth). */
  public Path adminClientConfig() {
    return credentialsDir().resolve("admin.properties");
  }

  /** The client settings file of TLS without security: the truststore, no login. */
  public Path tlsClientConfig() {
    return credentialsDir().resolve("client.properties");
  }

  /** The services principal's client settings file. */
  public Path servicesClientConfig() {
    return credentialsDir().resolve(SERVICES_USER + ".properties");
  }

  /** Where Kafka clients connect, e.g. {@code localhost:PORT}. */
  public synchronized String bootstrapServers() {
    return broker().bootstrapServers();
  }

  /** Where registry clients connect, e.g. {@code http://localhost:PORT}. */
  public synchronized String schemaRegistryUrl() {
    return registry().url();
  }

  /** The running broker. */
  public synchronized KafkaBroker broker() {
    if (broker == null) {
      throw new IllegalStateException(
          "infrastructure in " + dataDir + " is not running; call start()");
    }
    return broker;
  }

  /** The running registry. */
  public synchronized SchemaRegistryServer registry() {
    if (registry == null) {
      throw new IllegalStateException(
          "infrastructure in " + dataDir + " is not running; call start()");
    }
    return registry;
  }

  /** Stops the registry first (it is a client of the broker), then the broker. */
  @Override
  public synchronized void close() {
    try {
      if (registry != null) {
        registry.close();
      }
    } finally {
      registry = null;
      services = null;
      if (broker != null) {
        broker.stop();
      }
      broker = null;
    }
  }

  /**
   * Creates (or repairs) the services principal's SCRAM user and the ACLs, as the administrator,
   * and waits until the broker applies them: both reach it a moment after the controller accepted
   * them. The password is kept in its client settings file, so it survives restarts.
   */
  private ScramCredentials prepareServices(KafkaBroker started, Map<String, String> transport) {
    Path file = servicesClientConfig();
    ScramCredentials credentials =
        Files.exists(file)
            ? ScramCredentials.ofUserInfo(
                BrokerSettings.readProperties(file)
                    .getProperty(ScramCredentials.REGISTRY_USER_INFO))
            : ScramCredentials.generate(SERVICES_USER);
    if (Files.exists(file) && !credentials.user().equals(SERVICES_USER)) {
      throw new IllegalStateException(
          file + " is not the services principal's (user " + credentials.user() + ")");
    }
    List<AclBinding> bindings =
        new ArrayList<>(
            AccessRules.bindings(AccessRules.registry(credentials.principal(), REGISTRY_TOPIC)));
    bindings.addAll(acls);
    Properties p = new Properties();
    p.putAll(started.adminClientProperties());
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, started.bootstrapServers());
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, "fpnas-infra-security");
    try (Admin admin = Admin.create(p)) {
      // An upsert of the same password is harmless, and it restores a user that someone deleted.
      AccessSetup.upsertUser(admin, credentials, SECURITY_TIMEOUT);
      AccessSetup.grant(
          admin, bindings, credentials.user() + " and the registry", SECURITY_TIMEOUT);
    } catch (IllegalStateException e) {
      throw new IllegalStateException(
          "cannot set up the services principal on the broker in "
              + dataDir
              + ": "
              + e.getMessage(),
          e);
    }
    credentials.awaitLogin(started.bootstrapServers(), transport, SECURITY_TIMEOUT);
    // Written at once (the registry's address is added later): the password must not be lost.
    credentials.writeClientConfig(
        file, transport, "Kafka and schema registry client settings of " + credentials.principal());
    return credentials;
  }

  private void writeClientConfigs(
      KafkaBroker started, String registryUrl, Map<String, String> transport) {
    String usage = usage(started, registryUrl);
    ScramCredentials admin = started.adminCredentials();
    admin.writeClientConfig(
        adminClientConfig(),
        transport,
        "Kafka and schema registry client settings of "
            + admin.principal()
            + ", a super user; keep this file secret",
        usage);
    services.writeClientConfig(
        servicesClientConfig(),
        transport,
        "Kafka and schema registry client settings of "
            + services.principal()
            + ", the principal of the shared services; keep this file secret",
        usage);
  }

  private void writeTlsClientConfig(
      KafkaBroker started, String registryUrl, Map<String, String> transport) {
    Properties p = new Properties();
    p.putAll(transport);
    ClientTls.forRegistry(transport).forEach(p::setProperty);
    try {
      Files.createDirectories(credentialsDir());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + credentialsDir() + ": " + e, e);
    }
    BrokerSettings.writeProperties(
        tlsClientConfig(),
        p,
        "Kafka and schema registry client settings over TLS, trusting the local CA; "
            + usage(started, registryUrl));
  }

  private static String usage(KafkaBroker started, String registryUrl) {
    return "use with: fpnas COMMAND --bootstrap-servers "
        + started.bootstrapServers()
        + " --schema-registry "
        + registryUrl
        + " --client-config THIS_FILE";
  }

  /** Certificates for localhost from the data dir's own CA, made on the first TLS start. */
  private TlsMaterial generatedTls() {
    return LocalCertificateAuthority.ensure(
        dataDir.resolve("tls"), LocalCertificateAuthority.LOCALHOST);
  }

  private int registryPort() {
    if (registryPort > 0) {
      return registryPort;
    }
    String remembered =
        BrokerSettings.readProperties(dataDir.resolve(REGISTRY_PORT_FILE)).getProperty("port");
    if (remembered == null) {
      return 0;
    }
    int port = Integer.parseInt(remembered.trim());
    if (!BrokerSettings.isPortFree(port)) {
      throw new IllegalStateException(
          "schema registry port "
              + port
              + " (chosen on an earlier start and "
              + "remembered in "
              + dataDir.resolve(REGISTRY_PORT_FILE)
              + ") is in use by another process; "
              + "free it, or set registryPort explicitly");
    }
    return port;
  }

  private void rememberRegistryPort(String url) {
    Properties p = new Properties();
    p.setProperty("port", url.substring(url.lastIndexOf(':') + 1));
    BrokerSettings.writeProperties(
        dataDir.resolve(REGISTRY_PORT_FILE), p, "port of the embedded schema registry");
  }

  private static int checkPort(int port, String name) {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException(name + " must be between 0 and 65535, was " + port);
    }
    return port;
  }

  @Override
  public String toString() {
    return "EmbeddedInfra["
        + dataDir
        + (broker == null ? "" : ", " + broker.bootstrapServers())
        + "]";
  }
}
