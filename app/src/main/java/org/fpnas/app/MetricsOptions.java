package org.fpnas.app;

import java.io.PrintWriter;
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
          "Interface of the metrics endpoint (default: ${DEFAULT-VALUE}, so a "
              + "Prometheus elsewhere can scrape it).",
      defaultValue = "0.0.0.0")
  String host;

  /**
   * The endpoint, served if --metrics-port was given (and its URL printed), else only a registry.
   */
  PrometheusEndpoint start(PrintWriter out) {
    PrometheusEndpoint endpoint = PrometheusEndpoint.create();
    if (port != null) {
      Ports.check("--metrics-port", port);
      endpoint.serve(host, port);
      out.println("metrics at " + endpoint.url());
      out.flush();
    }
    return endpoint;
  }
}
