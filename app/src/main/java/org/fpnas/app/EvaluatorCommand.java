package org.fpnas.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.fpnas.evaluator.EvaluatorService;
import org.fpnas.evaluator.djl.DjlEvaluator;
import org.fpnas.metrics.PrometheusEndpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fpnas evaluator}: runs evaluators that take samples of every team. */
@Command(
    name = "evaluator",
    mixinStandardHelpOptions = true,
    description =
        "Run an evaluator service (members of the evaluators' consumer group, or of their share group"
            + " with --share-group) until Ctrl-C.")
final class EvaluatorCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin ClusterOptions cluster;

  @Mixin MetricsOptions metrics;

  @Option(
      names = "--workers",
      description = "Evaluator threads in this process (default: ${DEFAULT-VALUE}).",
      defaultValue = "1")
  int workers;

  @Option(
      names = "--id",
      description = "Prefix of this evaluator's id in results (default: host and process id).")
  String id;

  @Option(
      names = "--setting",
      description =
          "A setting for the evaluators this service creates, name=value (djl:"
              + " checkpointDir, checkpointStaleSeconds, dataDir).")
  Map<String, String> settings = new LinkedHashMap<>();

  @Option(
      names = "--data-dir",
      description =
          "Where the DJL evaluator finds its data set on this machine (the same as"
              + " --setting dataDir=DIR; default: where Debian's package puts it). A search may"
              + " not set it.")
  Path dataDir;

  @Option(
      names = "--checkpoint-dir",
      description =
          "A directory shared by all DJL evaluator processes, through which"
              + " their supernet replicas average their weights (the same as --setting checkpointDir=DIR; default: none).")
  Path checkpointDir;

  @Option(
      names = "--share-group",
      description =
          "Take samples through the share group fpnas-evaluators-share (any member acquires the"
              + " next sample of its partitions; more members than partitions share them) instead"
              + " of the classic consumer group fpnas-evaluators. Not the default: measured here,"
              + " the share path costs about twice the classic one per sample. Both kinds may serve"
              + " one cluster, not the same team: they are separate groups and each would get every"
              + " sample. The share pool leaves a samples topic that members of fpnas-evaluators"
              + " hold to them; a classic Java pool (which serves every team) refuses to start while"
              + " the share group has members.")
  boolean shareGroup;

  @Option(
      names = "--share-group-id",
      description = "The share group's id (default: ${DEFAULT-VALUE}).",
      defaultValue = EvaluatorService.SHARE_GROUP)
  String shareGroupId;

  @Option(
      names = "--prefetch",
      description =
          "Samples a worker may hold beyond the one it evaluates (default:" + " ${DEFAULT-VALUE}).",
      defaultValue = "0")
  int prefetch;

  @Option(
      names = "--share-config",
      paramLabel = "NAME=VALUE",
      description =
          "With the share group: a config of the share group set at start, e.g."
              + " share.record.lock.duration.ms=60000 or share.delivery.count.limit=3.")
  Map<String, String> shareConfigs = new LinkedHashMap<>();

  @Option(
      names = "--max-evaluation-time",
      description =
          "The longest one evaluation may run, e.g. PT15M (default: ${DEFAULT-VALUE}). Past it the"
              + " worker stops the evaluation and settles the sample with a FAILED result naming"
              + " the limit; in the share group it renews the sample's lock no longer and rejects"
              + " it.",
      defaultValue = "PT15M")
  Duration maxEvaluationTime;

  @Option(
      names = "--delivery-limit",
      description =
          "In the consumer group: the delivery of a sample that settles it FAILED unevaluated,"
              + " when every delivery before began it and none finished it (a sample that kills"
              + " its evaluator's process; default: ${DEFAULT-VALUE}, as the share group's). The"
              + " share group takes share.delivery.count.limit (--share-config) instead.",
      defaultValue = "" + EvaluatorService.DEFAULT_DELIVERY_LIMIT)
  int deliveryLimit;

  @Option(
      names = "--teams",
      split = ",",
      paramLabel = "TEAM",
      description =
          "Serve only these teams' samples (a pool of their own, with its"
              + " own --share-group-id; default: every team).")
  Set<String> teams = new LinkedHashSet<>();

  @Override
  public void run() {
    PrometheusEndpoint endpoint = metrics.start(spec.commandLine().getOut());
    EvaluatorService service =
        new EvaluatorService(cluster.bootstrapServers, cluster.registry())
            .workers(workers)
            .maxEvaluationTime(maxEvaluationTime)
            .deliveryLimit(deliveryLimit)
            .metrics(endpoint.registry());
    if (id != null) {
      service.idPrefix(id);
    }
    if (dataDir != null) {
      service.setting(DjlEvaluator.DATA_DIR, dataDir.toString());
    }
    if (checkpointDir != null) {
      service.setting(DjlEvaluator.CHECKPOINT_DIR, checkpointDir.toString());
    }
    settings.forEach(service::setting);
    service.shareGroup(shareGroup).shareGroupId(shareGroupId).prefetch(prefetch).teams(teams);
    shareConfigs.forEach(service::shareGroupConfig);
    cluster.clientSettings().forEach(service::clientProperty);
    endpoint.health(service::liveProblem, service::readyProblem);
    service.start();
    spec.commandLine()
        .getOut()
        .println("evaluator running with " + workers + " worker(s); Ctrl-C stops it");
    spec.commandLine().getOut().flush();
    Foreground.runUntilStopped(
        () -> {
          service.close();
          endpoint.close();
        },
        "evaluator");
  }
}
