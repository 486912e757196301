package org.fpnas.app;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.fpnas.admin.AccessRules;
import org.fpnas.admin.ClientTls;
import org.fpnas.admin.ScramCredentials;
import org.fpnas.admin.TeamAdmin;
import org.fpnas.schemas.TeamSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code fpnas team create}: a team's topics, principal, credentials, ACLs, quotas and settings
 * record.
 */
@Command(
    name = "create",
    mixinStandardHelpOptions = true,
    description =
        "Create a team: its topics, the SCRAM user team-NAME with a new password (shown once and written to "
            + "a client settings file), ACLs on its own topics only, quotas, and its record on fpnas.teams.")
final class TeamCreateCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin ClusterOptions cluster;

  @Parameters(
      paramLabel = "NAME",
      description = "The team: 1-40 lower case letters, digits, '-' or '_'.")
  String team;

  @Option(
      names = "--weight",
      description =
          "The team's share of the evaluators relative to other teams (default: ${DEFAULT-VALUE}).",
      defaultValue = "1")
  double weight;

  @Option(
      names = "--max-inflight",
      description =
          "Samples of the team in flight at once; 0: no limit (default: ${DEFAULT-VALUE}).",
      defaultValue = "0")
  int maxInflight;

  @Option(
      names = "--max-searches",
      description =
          "Searches of the team running at once; 0: no limit (default: ${DEFAULT-VALUE}).",
      defaultValue = "0")
  int maxSearches;

  @Option(
      names = "--produce-rate",
      converter = ByteRate.class,
      paramLabel = "B/s",
      description =
          "Producer quota of the team's principal in bytes per second, e.g. 1M; 0: none (default: ${DEFAULT-VALUE}).",
      defaultValue = "0")
  long produceRate;

  @Option(
      names = "--consume-rate",
      converter = ByteRate.class,
      paramLabel = "B/s",
      description =
          "Consumer quota of the team's principal in bytes per second; 0: none (default: ${DEFAULT-VALUE}).",
      defaultValue = "0")
  long consumeRate;

  @Option(
      names = "--credentials-dir",
      description =
          "Where to write the team's client settings file team-NAME.properties "
              + "(default: ${DEFAULT-VALUE}).",
      defaultValue = "${sys:user.home}/.fpnas/credentials")
  Path credentialsDir;

  @Override
  public void run() {
    TeamSettings settings =
        new TeamSettings(
            team,
            weight,
            maxInflight,
            maxSearches,
            produceRate,
            consumeRate,
            TeamSettings.principalOf(team));
    ScramCredentials credentials;
    try (TeamAdmin admin =
        new TeamAdmin(cluster.bootstrapServers, cluster.clientSettings(), cluster.registry())) {
      credentials = admin.create(settings);
    }
    Path file = credentialsDir.resolve(credentials.user() + ".properties");
    credentials.writeClientConfig(
        file,
        ClientTls.of(cluster.clientSettings()),
        "Kafka and schema registry client settings of "
            + credentials.principal()
            + " (team "
            + team
            + "); keep this file secret",
        "use with: fpnas COMMAND --bootstrap-servers "
            + cluster.bootstrapServers
            + " --schema-registry "
            + cluster.schemaRegistry
            + " --client-config THIS_FILE");
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        "Created team "
            + team
            + ": topics fpnas."
            + team
            + ".*, principal "
            + credentials.principal()
            + ", "
            + AccessRules.team(team).size()
            + " ACLs, weight "
            + weight
            + ", max in flight "
            + limit(maxInflight)
            + ", max searches "
            + limit(maxSearches)
            + ", produce quota "
            + rate(produceRate)
            + ", consume quota "
            + rate(consumeRate)
            + ".");
    out.println(
        "Password of " + credentials.user() + " (shown only now): " + credentials.password());
    out.println(
        "Client settings written to "
            + file
            + " (readable only by you); give that file to the team:");
    out.println(
        "  fpnas status --bootstrap-servers "
            + cluster.bootstrapServers
            + " --schema-registry "
            + cluster.schemaRegistry
            + " --client-config "
            + file.getFileName());
    out.flush();
  }

  static String limit(long value) {
    return value == 0 ? "none" : Long.toString(value);
  }

  static String rate(long bytesPerSecond) {
    return bytesPerSecond == 0 ? "none" : bytesPerSecond + " B/s";
  }
}
