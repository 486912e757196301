package org.fpnas.app;

import java.util.LinkedHashMap;
import java.util.Map;
import org.fpnas.evaluator.EvaluatorService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fpnas evaluator}: runs evaluators that take samples of every team. */
@Command(name = "evaluator", mixinStandardHelpOptions = true,
    description = "Run an evaluator service (a member of the evaluators' consumer group) until Ctrl-C.")
final class EvaluatorCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Mixin
  ClusterOptions cluster;

  @Option(names = "--workers", description = "Evaluator threads in this process (default: ${DEFAULT-VALUE}).", defaultValue = "1")
  int workers;

  @Option(names = "--id", description = "Prefix of this evaluator's id in results (default: host and process id).")
  String id;

  @Option(names = "--setting", description = "A setting for the evaluators this service creates, name=value.")
  Map<String, String> settings = new LinkedHashMap<>();

  @Override
  public void run() {
    EvaluatorService service = new EvaluatorService(cluster.bootstrapServers, cluster.registry()).workers(workers);
    if (id != null) {
      service.idPrefix(id);
    }
    settings.forEach(service::setting);
    cluster.clientSettings().forEach(service::clientProperty);
    service.start();
    spec.commandLine().getOut().println("evaluator running with " + workers + " worker(s); Ctrl-C stops it");
    spec.commandLine().getOut().flush();
    Foreground.runUntilStopped(service, "evaluator");
  }
}
