package org.fpnas.app;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import org.fpnas.client.SearchClient;
import org.fpnas.controller.ControllerService;
import org.fpnas.dashboard.Dashboard;
import org.fpnas.evaluator.EvaluatorService;
import org.fpnas.evaluator.djl.DjlEvaluator;
import org.fpnas.metrics.PrometheusEndpoint;

/**
 * What the demo runs on its cluster: a dashboard (with this process's metrics), a controller, the
 * evaluators, and the team's client with its topics. Closed in the reverse order.
 */
final class DemoServices implements AutoCloseable {
  private final PrometheusEndpoint metrics;
  private Dashboard dashboard;
  private SearchClient client;
  private ControllerService controller;
  private EvaluatorService evaluators;

  private DemoServices(PrometheusEndpoint metrics) {
    this.metrics = metrics;
  }

  /**
   * Starts everything; on a failure what was started is closed.
   *
   * @param team the team whose topics the demo's search uses
   * @param evaluatorCount evaluator workers
   * @param datasetDir where the data set is on this machine, null for its default place
   * @param dashboardPort 0 for a free one
   * @param stateDir the controller's local state
   */
  static DemoServices start(
      DemoCluster cluster,
      String team,
      int evaluatorCount,
      Path datasetDir,
      int dashboardPort,
      Path stateDir,
      PrintWriter out) {
    DemoServices services = new DemoServices(PrometheusEndpoint.create());
    try {
      services.startAll(cluster, team, evaluatorCount, datasetDir, dashboardPort, stateDir, out);
      return services;
    } catch (RuntimeException | Error e) {
      services.close();
      throw e;
    }
  }

  private void startAll(
      DemoCluster cluster,
      String team,
      int evaluatorCount,
      Path datasetDir,
      int dashboardPort,
      Path stateDir,
      PrintWriter out) {
    DemoPrincipals who = cluster.principals();
    String bootstrap = cluster.bootstrapServers();
    // The dashboard reads as the team, as a team's own would.
    dashboard =
        Dashboard.start(
            Dashboard.Settings.localhost(dashboardPort),
            bootstrap,
            who.teamRegistry(),
            who.teamSettings(),
            metrics,
            Clock.systemUTC());
    out.println("Dashboard " + dashboard.url() + " (metrics at " + dashboard.url() + "metrics)");
    out.flush();
    client = new SearchClient(bootstrap, who.teamRegistry());
    who.teamSettings().forEach(client::clientProperty);
    client.ensureTopics(team);
    ControllerService controllerService =
        new ControllerService(bootstrap, who.servicesRegistry()).metrics(metrics.registry());
    who.services().forEach(controllerService::property);
    controller = controllerService.stateDir(stateDir).start();
    EvaluatorService pool =
        new EvaluatorService(bootstrap, who.servicesRegistry()).metrics(metrics.registry());
    if (datasetDir != null) {
      pool.setting(DjlEvaluator.DATA_DIR, datasetDir.toString());
    }
    who.services().forEach(pool::clientProperty);
    evaluators = pool.workers(evaluatorCount).idPrefix("demo").start();
    out.println("Controller and " + evaluatorCount + " evaluator(s) running.");
  }

  SearchClient client() {
    return client;
  }

  String dashboardUrl() {
    return dashboard.url().toString();
  }

  @Override
  public void close() {
    if (evaluators != null) {
      evaluators.close();
    }
    if (controller != null) {
      controller.close();
    }
    if (client != null) {
      client.close();
    }
    if (dashboard != null) {
      dashboard.close();
    }
    metrics.close();
  }
}
