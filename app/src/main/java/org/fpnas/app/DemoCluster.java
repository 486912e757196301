package org.fpnas.app;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.fpnas.admin.AccessRules;
import org.fpnas.embedded.EmbeddedInfra;

/**
 * The broker and registry a demo runs on: the embedded ones with their data in the demo's data dir
 * (the layout of {@code fpnas infra}, so that {@code fpnas infra --data-dir} opens them again), or
 * a cluster given on the command line; and who the demo's parts run as on it.
 */
final class DemoCluster implements AutoCloseable {
  private final EmbeddedInfra infra;
  private final Path dataDir;
  private final String bootstrapServers;
  private final String registryUrl;
  private final DemoPrincipals principals;

  private DemoCluster(
      EmbeddedInfra infra,
      Path dataDir,
      String bootstrapServers,
      String registryUrl,
      DemoPrincipals principals) {
    this.infra = infra;
    this.dataDir = dataDir;
    this.bootstrapServers = bootstrapServers;
    this.registryUrl = registryUrl;
    this.principals = principals;
  }

  /** Starts the embedded broker and registry on the data dir, secure or not, TLS or not. */
  static DemoCluster embedded(Path dataDir, boolean secure, boolean tls, PrintWriter out) {
    out.println("Starting Kafka (KRaft) and the schema registry in " + dataDir + " ...");
    out.flush();
    EmbeddedInfra infra =
        new EmbeddedInfra(dataDir)
            .kafkaPort(0)
            .registryPort(0)
            .secure(secure)
            .tls(tls)
            .acls(AccessRules.bindings(AccessRules.services("User:" + EmbeddedInfra.SERVICES_USER)))
            .start();
    try {
      out.println(
          "Kafka " + infra.bootstrapServers() + ", schema registry " + infra.schemaRegistryUrl());
      DemoPrincipals who = secure ? DemoPrincipals.secure(infra, out) : DemoPrincipals.open(infra);
      return new DemoCluster(
          infra, dataDir, infra.bootstrapServers(), infra.schemaRegistryUrl(), who);
    } catch (RuntimeException | Error e) {
      infra.close();
      throw e;
    }
  }

  /** A cluster that runs elsewhere, without credentials. */
  static DemoCluster external(String bootstrapServers, String registryUrl) {
    return new DemoCluster(
        null, null, bootstrapServers, registryUrl, DemoPrincipals.open(registryUrl));
  }

  String bootstrapServers() {
    return bootstrapServers;
  }

  String registryUrl() {
    return registryUrl;
  }

  DemoPrincipals principals() {
    return principals;
  }

  /**
   * How to open this demo's broker and data again once the demo has ended; empty for a cluster that
   * the demo did not start.
   */
  String reopenHint() {
    if (infra == null) {
      return "";
    }
    return reopenCommand(dataDir, infra.isSecure(), infra.isTls());
  }

  /** The command that serves a demo's data dir again. */
  static String reopenCommand(Path dataDir, boolean secure, boolean tls) {
    return "fpnas infra "
        + (secure ? "--secure " : "")
        + (tls ? "--tls " : "")
        + "--data-dir "
        + dataDir;
  }

  @Override
  public void close() {
    if (infra != null) {
      infra.close();
    }
  }
}
