package org.fpnas.app;

import java.nio.file.Path;
import java.time.Clock;
import javax.net.ssl.SSLContext;
import org.fpnas.dashboard.Dashboard;
import org.fpnas.metrics.PrometheusEndpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fpnas dashboard}: the read-only web dashboard of every search the caller may read. */
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
    Dashboard.Settings settings = Dashboard.Settings.localhost(port).host(host);
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
