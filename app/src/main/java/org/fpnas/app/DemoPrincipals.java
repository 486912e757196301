package org.fpnas.app;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.fpnas.admin.ScramCredentials;
import org.fpnas.admin.TeamAdmin;
import org.fpnas.embedded.EmbeddedInfra;
import org.fpnas.schemas.SchemaRegistryClient;
import org.fpnas.schemas.TeamSettings;

/**
 * Who does what in {@code fpnas demo}: without security everything runs with no credentials; with
 * {@code --secure} the controller and evaluators run as the services principal, and the search is
 * submitted and followed as the team {@value #SECURE_TEAM}, which the demo creates as the
 * administrator.
 *
 * @param team the team of the demo search, null for the request's own
 */
record DemoPrincipals(
    Map<String, String> services,
    SchemaRegistryClient servicesRegistry,
    String team,
    Map<String, String> teamSettings,
    SchemaRegistryClient teamRegistry) {

  /** The team that a secure demo creates and submits as. */
  static final String SECURE_TEAM = "demo";

  /** No credentials anywhere. */
  static DemoPrincipals open(String registryUrl) {
    SchemaRegistryClient registry = new SchemaRegistryClient(registryUrl);
    return new DemoPrincipals(Map.of(), registry, null, Map.of(), registry);
  }

  /** No credentials, over the embedded infrastructure's transport (TLS or not). */
  static DemoPrincipals open(EmbeddedInfra infra) {
    SchemaRegistryClient registry = infra.registryClient(null);
    Map<String, String> transport = infra.clientProperties();
    return new DemoPrincipals(transport, registry, null, transport, registry);
  }

  /**
   * The services principal of a secure embedded infrastructure, and the demo team: created on the
   * first run, its client settings kept in the infrastructure's credentials dir for the next ones.
   */
  static DemoPrincipals secure(EmbeddedInfra infra, PrintWriter out) {
    ScramCredentials services = infra.servicesCredentials();
    Path teamFile =
        infra.credentialsDir().resolve(TeamSettings.userOf(SECURE_TEAM) + ".properties");
    ScramCredentials team;
    if (Files.exists(teamFile)) {
      Properties p = new Properties();
      try (var reader = Files.newBufferedReader(teamFile)) {
        p.load(reader);
      } catch (java.io.IOException e) {
        throw new IllegalStateException("cannot read " + teamFile + ": " + e.getMessage(), e);
      }
      team = ScramCredentials.ofUserInfo(p.getProperty(ScramCredentials.REGISTRY_USER_INFO));
    } else {
      try (TeamAdmin admin =
          new TeamAdmin(
              infra.bootstrapServers(),
              infra.clientProperties(infra.adminCredentials()),
              infra.registryClient(infra.adminCredentials()))) {
        team = admin.create(TeamSettings.defaults(SECURE_TEAM));
      }
      team.writeClientConfig(
          teamFile,
          infra.clientProperties(),
          "Kafka and schema registry client settings of "
              + team.principal()
              + " (team "
              + SECURE_TEAM
              + "); keep this file secret");
      out.println(
          "Created team "
              + SECURE_TEAM
              + " ("
              + team.principal()
              + "); its client settings are in "
              + teamFile);
    }
    out.println(
        "Security on: the services run as "
            + services.principal()
            + ", the search is submitted and "
            + "followed as "
            + team.principal()
            + ".");
    return new DemoPrincipals(
        infra.clientProperties(services),
        infra.registryClient(services),
        SECURE_TEAM,
        infra.clientProperties(team),
        infra.registryClient(team));
  }
}
