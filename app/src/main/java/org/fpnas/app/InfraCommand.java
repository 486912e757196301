package org.fpnas.app;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.fpnas.admin.AccessRules;
import org.fpnas.client.SearchClient;
import org.fpnas.embedded.EmbeddedInfra;
import org.fpnas.schemas.Topics;
import org.fpnas.tls.ServerCertificate;
import org.fpnas.tls.TlsMaterial;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fpnas infra}: runs the embedded KRaft broker and schema registry in the foreground. */
@Command(
    name = "infra",
    mixinStandardHelpOptions = true,
    description =
        "Run a local Kafka broker (KRaft) and schema registry in the foreground until Ctrl-C.")
final class InfraCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--data-dir",
      description =
          "Directory for the broker's data; a restart on it keeps topics and schemas, and a"
              + " demo's --data-dir opens that demo's searches (default: ${DEFAULT-VALUE}).",
      defaultValue = "${sys:user.home}/.fpnas")
  Path dataDir;

  @Option(
      names = "--kafka-port",
      description =
          "Broker port; 0 picks a free one and remembers it in the data dir (default: ${DEFAULT-VALUE}).",
      defaultValue = "9092")
  int kafkaPort;

  @Option(
      names = "--registry-port",
      description = "Schema registry port (default: ${DEFAULT-VALUE}).",
      defaultValue = "8081")
  int registryPort;

  @Option(
      names = "--in-process",
      description = "Run the broker inside this JVM instead of a child process.")
  boolean inProcess;

  @Option(
      names = "--secure",
      description =
          "Require SASL/SCRAM logins and ACLs on the broker and HTTP basic "
              + "authentication on the registry; writes the administrator's and the services' client settings to "
              + "DATA-DIR/credentials. A data dir keeps the mode of its first start.")
  boolean secure;

  @Option(
      names = "--tls",
      description =
          "Serve TLS on the broker (SASL_SSL with --secure) and HTTPS on the registry, with "
              + "certificates for localhost that a local CA makes in DATA-DIR/tls on the first start "
              + "(clients trust DATA-DIR/tls/ca.pem), unless --tls-certificate is given.")
  boolean tls;

  @Option(
      names = "--tls-certificate",
      description =
          "Your own server certificate chain (PEM, naming localhost) for --tls; goes with --tls-key and --tls-ca.")
  Path tlsCertificate;

  @Option(
      names = "--tls-key",
      description = "The unencrypted PEM private key of --tls-certificate.")
  Path tlsKey;

  @Option(
      names = "--tls-ca",
      description =
          "The PEM certificate of the CA that signed --tls-certificate, which clients trust.")
  Path tlsCa;

  @Override
  public void run() {
    Ports.check("--kafka-port", kafkaPort);
    Ports.check("--registry-port", registryPort);
    TlsMaterial own = ownTls();
    var out = spec.commandLine().getOut();
    CountDownLatch stopped = new CountDownLatch(1);
    try (EmbeddedInfra infra =
        new EmbeddedInfra(dataDir)
            .kafkaPort(kafkaPort)
            .registryPort(registryPort)
            .inProcess(inProcess)
            .secure(secure)
            .tls(tls || own != null)
            .acls(
                AccessRules.bindings(
                    AccessRules.services("User:" + EmbeddedInfra.SERVICES_USER)))) {
      out.println(
          "Starting Kafka (KRaft) and the schema registry with data in " + dataDir + " ...");
      if (own != null) {
        infra.tls(own);
      }
      infra.start();
      out.println("Kafka bootstrap servers: " + infra.bootstrapServers());
      out.println("Schema registry:         " + infra.schemaRegistryUrl());
      if (infra.isTls()) {
        out.println(
            "TLS:                     clients trust "
                + infra.clientProperties().get("ssl.truststore.location")
                + (secure ? "" : "; client settings in " + infra.tlsClientConfig()));
      }
      if (secure) {
        printSecurity(out, infra);
      } else {
        // The default team's topics and schemas, so that an evaluator in any language can start
        // first.
        try (SearchClient client =
            new SearchClient(infra.bootstrapServers(), infra.registryClient(null))) {
          infra.clientProperties().forEach(client::clientProperty);
          client.ensureTopics(Topics.DEFAULT_TEAM);
        }
        out.println("Team " + Topics.DEFAULT_TEAM + ":            topics and schemas registered");
      }
      out.println("Press Ctrl-C to stop.");
      out.flush();
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    infra.close();
                    stopped.countDown();
                  },
                  "fpnas-infra-shutdown"));
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The operator's certificate, key and CA, or null when none is given. */
  private TlsMaterial ownTls() {
    int given =
        (tlsCertificate != null ? 1 : 0) + (tlsKey != null ? 1 : 0) + (tlsCa != null ? 1 : 0);
    if (given == 0) {
      return null;
    }
    if (given < 3) {
      throw new IllegalArgumentException(
          "--tls-certificate, --tls-key and --tls-ca go together: give all three or none");
    }
    return new TlsMaterial(new ServerCertificate(tlsCertificate, tlsKey), tlsCa);
  }

  private static void printSecurity(java.io.PrintWriter out, EmbeddedInfra infra) {
    String cluster =
        "--bootstrap-servers "
            + infra.bootstrapServers()
            + " --schema-registry "
            + infra.schemaRegistryUrl();
    out.println(
        "Security:                SASL/SCRAM-SHA-256 logins, ACLs (deny unless allowed), registry basic auth");
    out.println(
        "Administrator settings:  "
            + infra.adminClientConfig()
            + " ("
            + infra.adminCredentials().principal()
            + ", a super user)");
    out.println(
        "Services settings:       "
            + infra.servicesClientConfig()
            + " ("
            + infra.servicesCredentials().principal()
            + ")");
    out.println(
        "Create a team:   fpnas team create NAME "
            + cluster
            + " --client-config "
            + infra.adminClientConfig());
    out.println(
        "Run the services: fpnas controller "
            + cluster
            + " --client-config "
            + infra.servicesClientConfig());
    out.println(
        "                  fpnas evaluator "
            + cluster
            + " --client-config "
            + infra.servicesClientConfig());
  }
}
