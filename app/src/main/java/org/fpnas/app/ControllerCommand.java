package org.fpnas.app;

import java.nio.file.Path;
import org.fpnas.controller.ControllerService;
import org.fpnas.metrics.PrometheusEndpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fpnas controller}: runs the aggregator and the dispatcher for every team. */
@Command(
    name = "controller",
    mixinStandardHelpOptions = true,
    description =
        "Run the controller (the Kafka Streams aggregator and dispatcher) for every team until Ctrl-C.")
final class ControllerCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin ClusterOptions cluster;

  @Mixin MetricsOptions metrics;

  @Option(
      names = "--state-dir",
      description = "Local state of Kafka Streams (default: ${DEFAULT-VALUE}).",
      defaultValue = "${sys:user.home}/.fpnas/streams")
  Path stateDir;

  @Option(
      names = "--pool-pacing",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Keep each team to its weighted share of the evaluator pool by holding samples in the"
              + " dispatcher until the pool has room, so that fair sharing holds across the whole"
              + " pool (default: on). --no-pool-pacing publishes a team without limits' samples as"
              + " they are drawn: one hop less per iteration, fairness only within each"
              + " evaluator.")
  boolean poolPacing;

  @Override
  public void run() {
    PrometheusEndpoint endpoint = metrics.start(spec.commandLine().getOut());
    ControllerService controller =
        new ControllerService(cluster.bootstrapServers, cluster.registry())
            .stateDir(stateDir)
            .poolPacing(poolPacing)
            .metrics(endpoint.registry());
    cluster.clientSettings().forEach(controller::property);
    endpoint.health(controller::liveProblem, controller::readyProblem);
    controller.start();
    spec.commandLine()
        .getOut()
        .println("controller running on " + cluster.bootstrapServers + "; Ctrl-C stops it");
    spec.commandLine().getOut().flush();
    Foreground.runUntilStopped(
        () -> {
          controller.close();
          endpoint.close();
        },
        "controller");
  }
}
