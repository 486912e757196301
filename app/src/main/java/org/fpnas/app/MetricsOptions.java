package org.fpnas.app;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.fpnas.metrics.PrometheusEndpoint;
import picocli.CommandLine.Option;

/**
 * {@code --metrics-port}: a Prometheus endpoint for a long-running command; off unless asked for.
 */
final class MetricsOptions {
  @Option(
      names = "--metrics-port",
      description =
          "Serve Prometheus metrics at http://HOST:PORT/metrics (0: a free "
              + "port, printed; default: no endpoint).")
  Integer port;

  @Option(
      names = "--metrics-host",
      description =
          "Interface of the metrics endpoint (default: ${DEFAULT-VALUE}, this machine only; "
              + "0.0.0.0 so that a Prometheus elsewhere can scrape it).",
      defaultValue = "127.0.0.1")
  String host;

  @Option(
      names = "--metrics-tls-certificate",
      description =
          "Serve the metrics over HTTPS with this PEM certificate chain (goes with --metrics-tls-key).")
  Path tlsCertificate;

  @Option(
      names = "--metrics-tls-key",
      description = "The unencrypted PEM private key of --metrics-tls-certificate.")
  Path tlsKey;

  /**
   * The endpoint, served if --metrics-port was given (and its URL printed), else only a registry.
   */
  PrometheusEndpoint start(PrintWriter out) {
    PrometheusEndpoint endpoint = PrometheusEndpoint.create();
    if (port != null) {
      Ports.check("--metrics-port", port);
      endpoint.serve(
          host,
          port,
          ServerTls.of("--metrics-tls-certificate", tlsCertificate, "--metrics-tls-key", tlsKey));
      out.println("metrics at " + endpoint.url());
      out.flush();
    }
    return endpoint;
  }
}
