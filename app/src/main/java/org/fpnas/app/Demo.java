package org.fpnas.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.fpnas.client.ResultReport;
import org.fpnas.client.SearchRequest;
import org.fpnas.client.history.SearchLog;
import org.fpnas.client.wire.WireConversions;
import org.fpnas.evaluator.djl.FinalTraining;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.SearchSpec;

/**
 * {@code fpnas demo} once its options are read: the cluster ({@link DemoCluster}), the services on
 * it ({@link DemoServices}), the search submitted or resumed and followed ({@link DemoSearch}), the
 * answer ({@link DemoReport}), the found architecture trained from scratch (DJL), and, when asked,
 * everything kept running until Ctrl-C.
 */
final class Demo {
  /**
   * What to run.
   *
   * @param request the search (validated)
   * @param dataDir the embedded broker's data and the demo's own (the controller's state, the
   *     search's id, the trained models)
   * @param secure the embedded broker with authentication and ACLs
   * @param tls the embedded broker and registry over TLS
   * @param bootstrapServers a cluster to use instead of the embedded one, or null
   * @param schemaRegistry that cluster's registry, or null
   * @param evaluators evaluator workers
   * @param datasetDir where the DJL data set is, null for its default place
   * @param dashboardPort the dashboard's port, 0 for a free one
   * @param timeout how long the search may take
   * @param finalTraining the final training of the found architecture, or null for none
   * @param output where to write the result JSON too, or null
   * @param keepOpen keep everything running after the result until Ctrl-C
   */
  record Plan(
      SearchRequest request,
      Path dataDir,
      boolean secure,
      boolean tls,
      String bootstrapServers,
      String schemaRegistry,
      int evaluators,
      Path datasetDir,
      int dashboardPort,
      Duration timeout,
      FinalTrainingPlan finalTraining,
      Path output,
      boolean keepOpen) {}

  /** How long Ctrl-C waits for the services to close before the JVM ends. */
  private static final Duration CLOSE_ON_STOP = Duration.ofSeconds(10);

  private final Plan plan;
  private final PrintWriter out;
  private final CountDownLatch closed = new CountDownLatch(1);

  Demo(Plan plan, PrintWriter out) {
    this.plan = plan;
    this.out = out;
  }

  /** Runs the demo; with {@link Plan#keepOpen} it returns once Ctrl-C has been pressed. */
  void run() {
    try (DemoCluster cluster = cluster()) {
      SearchRequest request = plan.request();
      if (cluster.principals().team() != null) {
        request.team(cluster.principals().team());
      }
      try (DemoServices services =
          DemoServices.start(
              cluster,
              request.team(),
              plan.evaluators(),
              plan.datasetDir(),
              plan.dashboardPort(),
              plan.dataDir().resolve("streams"),
              out)) {
        DemoSearch search = new DemoSearch(cluster, plan.dataDir(), out);
        SearchSpec spec = search.resumeOrSubmit(services.client(), request);
        DistributionUpdate last = search.follow(spec, plan.timeout());
        finish(search.log(spec), last);
        if (plan.keepOpen()) {
          keepOpen(cluster, services);
        } else if (!cluster.reopenHint().isEmpty()) {
          out.println("To look at it again: " + cluster.reopenHint() + ", then fpnas dashboard");
          out.flush();
        }
      }
    } finally {
      closed.countDown();
    }
  }

  private DemoCluster cluster() {
    return plan.bootstrapServers() == null
        ? DemoCluster.embedded(plan.dataDir(), plan.secure(), plan.tls(), out)
        : DemoCluster.external(plan.bootstrapServers(), plan.schemaRegistry());
  }

  /** Prints the answer, trains it (DJL) and writes the result JSON. */
  private void finish(SearchLog log, DistributionUpdate last) {
    ObjectNode result = ResultReport.of(log);
    DemoReport.print(out, result, last.getIteration(), String.valueOf(last.getStopReason()));
    if (plan.finalTraining() != null) {
      out.println();
      FinalTraining.Comparison trained =
          plan.finalTraining().run(log.spec(), WireConversions.architecture(last.getMode()), out);
      result.set("finalTraining", FinalTrainingPlan.toJson(trained));
    }
    if (plan.output() != null) {
      ResultCommand.write(plan.output(), ResultReport.toJson(result));
      out.println("Result written to " + plan.output());
    }
    out.flush();
  }

  /**
   * Waits for Ctrl-C with everything running; the shutdown hook gives {@link #run} a few seconds to
   * close it all before the JVM ends. The embedded broker's own hook stops the broker meanwhile, so
   * the services do not wait for it: what they have not committed is what a crash leaves, which the
   * controller and the evaluators recover from on the next run.
   */
  private void keepOpen(DemoCluster cluster, DemoServices services) {
    out.println();
    out.println("Everything stays up: dashboard " + services.dashboardUrl());
    out.println(
        "Kafka " + cluster.bootstrapServers() + ", schema registry " + cluster.registryUrl());
    out.println(
        "Press Ctrl-C to stop"
            + (cluster.reopenHint().isEmpty()
                ? "."
                : "; later, " + cluster.reopenHint() + " serves this demo's data again."));
    out.flush();
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stop.countDown();
                  awaitClosed();
                },
                "fpnas-demo-shutdown"));
    try {
      stop.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    out.println("Stopping ...");
    out.flush();
  }

  private void awaitClosed() {
    try {
      closed.await(CLOSE_ON_STOP.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
