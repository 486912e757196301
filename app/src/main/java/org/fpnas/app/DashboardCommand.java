package org.fpnas.app;

import java.nio.file.Path;
import java.time.Clock;
import javax.net.ssl.SSLContext;
import org.fpnas.dashboard.Dashboard;
import org.fpnas.metrics.PrometheusEndpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code fpnas dashboard}: the web dashboard of every search the caller may read, or, with {@code
 * --require-login}, of each logged-in team's own searches.
 */
@Command(
    name = "dashboard",
    mixinStandardHelpOptions = true,
    description =
        "Serve the live web dashboard (searches, a search, compare, evaluators; metrics at /metrics) until Ctrl-C.")
final class DashboardCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin ClusterOptions cluster;

  @Option(
      names = "--port",
      description = "HTTP port (0: a free one; default: ${DEFAULT-VALUE}).",
      defaultValue = "8090")
  int port;

  @Option(
      names = "--host",
      description =
          "Interface to serve on (default: ${DEFAULT-VALUE}, this machine only; "
              + "0.0.0.0 for every interface).",
      defaultValue = "127.0.0.1")
  String host;

  @Option(
      names = "--require-login",
      description =
          "Ask every visitor to log in as a team (its name and the password of its SCRAM user"
              + " team-NAME, checked by logging in to Kafka with it); a team then sees only its own"
              + " searches and may cancel them. Needs SASL/SCRAM or SASL/PLAIN in --client-config,"
              + " whose principal must read every team.")
  boolean requireLogin;

  @Option(
      names = "--tls-certificate",
      description = "Serve HTTPS with this PEM certificate chain (goes with --tls-key).")
  Path tlsCertificate;

  @Option(
      names = "--tls-key",
      description = "The unencrypted PEM private key of --tls-certificate.")
  Path tlsKey;

  @Override
  public void run() {
    Ports.check("--port", port);
    Dashboard.Settings settings =
        Dashboard.Settings.localhost(port).host(host).requireLogin(requireLogin);
    SSLContext tls = ServerTls.of("--tls-certificate", tlsCertificate, "--tls-key", tlsKey);
    if (tls != null) {
      settings = settings.https(tls);
    }
    PrometheusEndpoint metrics = PrometheusEndpoint.create();
    Dashboard dashboard =
        Dashboard.start(
            settings,
            cluster.bootstrapServers,
            cluster.registry(),
            cluster.clientSettings(),
            metrics,
            Clock.systemUTC());
    spec.commandLine()
        .getOut()
        .println(
            "dashboard at "
                + dashboard.url()
                + (requireLogin ? " (each team logs in and sees its own searches)" : "")
                + " (metrics at "
                + dashboard.url()
                + "metrics); Ctrl-C stops it");
    spec.commandLine().getOut().flush();
    Foreground.runUntilStopped(
        () -> {
          dashboard.close();
          metrics.close();
        },
        "dashboard");
  }
}
