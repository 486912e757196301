package org.fpnas.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fpnas.client.SearchClient;
import org.fpnas.client.SearchRequest;
import org.fpnas.client.history.SearchHistory;
import org.fpnas.client.history.SearchLog;
import org.fpnas.controller.ControllerService;
import org.fpnas.evaluator.EvaluatorService;
import org.fpnas.metrics.PrometheusEndpoint;
import org.fpnas.schemas.SchemaRegistryClient;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.SearchSpec;
import org.fpnas.testkit.KafkaInfra;
import org.fpnas.testkit.RealKafka;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium against searches run through the real broker: what the
 * pages show equals what the topics hold, charts are drawn, and a running search's page follows new
 * iterations without a reload. Screenshots of each page go to target/screenshots.
 */
@RealKafka
class DashboardIT {
  /**
   * Generous: on a loaded machine an iteration of the slow search takes seconds; it passes as soon
   * as it can.
   */
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  private static final Path SHOTS = Path.of("target", "screenshots");

  private final KafkaInfra infra;
  private final SchemaRegistryClient registry;

  DashboardIT(KafkaInfra infra) {
    this.infra = infra;
    this.registry = new SchemaRegistryClient(infra.schemaRegistryUrl());
  }

  @Test
  void thePagesShowTheTopicsSearchesAndFollowThemLive() throws Exception {
    String team = "dash-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    try (SearchClient client = new SearchClient(infra.bootstrapServers(), registry);
        PrometheusEndpoint metrics = PrometheusEndpoint.create()) {
      client.ensureTopics(team);
      try (ControllerService controller =
              new ControllerService(infra.bootstrapServers(), registry)
                  .stateDir(Files.createTempDirectory("dashboard-it"))
                  .start();
          EvaluatorService evaluators =
              new EvaluatorService(infra.bootstrapServers(), registry)
                  .workers(2)
                  .idPrefix("dash-it")
                  .start();
          Dashboard dashboard =
              Dashboard.start(
                  Dashboard.Settings.localhost(0),
                  infra.bootstrapServers(),
                  registry,
                  Map.of(),
                  metrics,
                  Clock.systemUTC());
          Browser browser = new Browser()) {
        SearchSpec quick = client.submit(request(team, "quick", "4", "5", "0"));
        SearchSpec slow = client.submit(request(team, "slow", "3", "16", "40"));
        try {
          checkPages(team, quick, slow, dashboard, browser);
        } catch (RuntimeException | AssertionError e) {
          browser.screenshot(SHOTS.resolve("failure.png"));
          System.err.println(browser.diagnostics());
          throw e;
        }
      }
    }
  }

  private void checkPages(
      String team, SearchSpec quick, SearchSpec slow, Dashboard dashboard, Browser browser)
      throws Exception {
    String base = dashboard.url().toString();
    var driver = browser.driver;
    var js = (JavascriptExecutor) driver;
    WebDriverWait wait = new WebDriverWait(driver, TIMEOUT);

    // A running search's page follows its iterations without a reload.
    driver.get(base + "search.html?team=" + team + "&id=" + slow.getSearchId());
    js.executeScript("window.notReloaded = true;");
    wait.until(d -> intText(d.findElement(By.id("iteration"))) >= 2);
    int seen = intText(driver.findElement(By.id("iteration")));
    wait.until(d -> intText(d.findElement(By.id("iteration"))) > seen);
    assertEquals(
        Boolean.TRUE,
        js.executeScript("return window.notReloaded === true;"),
        "the page was not reloaded");
    browser.screenshot(SHOTS.resolve("search-running.png"));

    // Once the search is done, the page shows the last distribution's numbers, charts and the
    // replay.
    wait.until(d -> "done".equals(d.findElement(By.id("state")).getText()));
    SearchLog log = awaitDone(team, slow.getSearchId());
    DistributionUpdate last = log.latest();
    wait.until(d -> intText(d.findElement(By.id("iteration"))) == last.getIteration());
    assertEquals(
        Integer.toString(last.getIteration()), driver.findElement(By.id("iteration")).getText());
    assertEquals(Integer.toString(last.getSampleCount()), driver.findElement(By.id("k")).getText());
    assertEquals(
        String.format(Locale.ROOT, "%.4f", last.getEntropy()),
        driver.findElement(By.id("entropy")).getText());
    wait.until(d -> d.findElement(By.id("replay")).getText().startsWith("identical"));
    assertTrue(
        driver.findElement(By.id("replay")).getText().contains(last.getIteration() + " iterations"),
        driver.findElement(By.id("replay")).getText());
    for (String section : List.of("curves", "scatter", "layers")) {
      assertTrue(drawnCanvases(js, section) > 0, section + " has drawn charts");
    }
    assertEquals(
        log.results().size() + " samples", driver.findElement(By.id("scatterNote")).getText());
    browser.screenshot(SHOTS.resolve("search.png"));

    // The dashboard's own metrics: this page's event stream, and at least the records of this
    // search.
    String scrape = get(base + "metrics");
    assertTrue(metric(scrape, "fpnas_dashboard_event_clients") >= 1, scrape);
    assertTrue(
        metric(scrape, "fpnas_dashboard_records_read")
            >= 1 + log.updates().size() + log.results().size(),
        scrape);
    assertTrue(scrape.contains("jvm_memory_used_bytes"), "JVM metrics");

    // The searches page lists both with their state and numbers.
    awaitDone(team, quick.getSearchId());
    driver.get(base + "index.html");
    for (SearchSpec spec : List.of(quick, slow)) {
      By row = By.cssSelector("tr[data-search='" + team + "/" + spec.getSearchId() + "']");
      wait.until(
          d ->
              d.findElements(row).size() == 1
                  && "done"
                      .equals(
                          d.findElement(row).findElement(By.cssSelector("td.state")).getText()));
      SearchLog l = awaitDone(team, spec.getSearchId());
      List<WebElement> cells = driver.findElement(row).findElements(By.tagName("td"));
      assertEquals(Integer.toString(l.latest().getIteration()), cells.get(4).getText());
      assertEquals(Long.toString(l.samplesEvaluated()), cells.get(9).getText());
    }
    browser.screenshot(SHOTS.resolve("searches.png"));

    // Compare overlays both searches' curves.
    driver.get(
        base
            + "compare.html?s="
            + team
            + "/"
            + quick.getSearchId()
            + "&s="
            + team
            + "/"
            + slow.getSearchId());
    wait.until(d -> drawnCanvases(js, "curves") >= 6);
    assertTrue(
        driver.findElement(By.id("curves")).getText().contains(quick.getSearchId()),
        "legend names the searches");
    browser.screenshot(SHOTS.resolve("compare.png"));

    // The evaluators page lists the pool's two workers.
    driver.get(base + "evaluators.html");
    wait.until(d -> d.findElements(By.cssSelector("#members tbody tr")).size() == 2);
    assertTrue(driver.findElement(By.id("members")).getText().contains("dash-it-0"));
    browser.screenshot(SHOTS.resolve("evaluators.png"));

    // The exports download what `fpnas export` writes.
    String csv =
        get(
            base
                + "api/export?team="
                + team
                + "&id="
                + slow.getSearchId()
                + "&table=iterations&format=csv");
    assertEquals(
        log.updates().size() + 1, csv.split("\n").length, "a header and one row per distribution");
  }

  private static SearchRequest request(
      String team, String id, String seed, String maxIterations, String simulatedMs) {
    return new SearchRequest("small-space.yaml", example("small-space.yaml"))
        .landscape(example("small-landscape.yaml"))
        .team(team)
        .searchId(id + "-" + System.nanoTime())
        .setAll(
            Map.of(
                "seed",
                seed,
                "maxIterations",
                maxIterations,
                "k0",
                "8",
                "kMin",
                "4",
                "learningRate",
                "0.1"))
        .evaluatorSetting("simulatedMs", simulatedMs);
  }

  private SearchLog awaitDone(String team, String searchId) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      SearchLog log =
          SearchHistory.read(infra.bootstrapServers(), registry, team, true, Map.of())
              .search(searchId)
              .orElseThrow();
      if ("done".equals(log.state()) || System.nanoTime() > deadline) {
        return log;
      }
      Thread.sleep(300);
    }
  }

  /** Canvases under the element that have at least one painted pixel. */
  private static long drawnCanvases(JavascriptExecutor js, String id) {
    Object n =
        js.executeScript(
            "return [...document.querySelectorAll('#' + arguments[0] + ' canvas')].filter(c => {"
                + " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                + " for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) return true; return false; }).length;",
            id);
    return ((Number) n).longValue();
  }

  private static double metric(String scrape, String name) {
    return scrape
        .lines()
        .filter(l -> l.startsWith(name + " "))
        .mapToDouble(l -> Double.parseDouble(l.split(" ")[1]))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + " is not in the scrape"));
  }

  private static int intText(WebElement e) {
    try {
      return Integer.parseInt(e.getText().trim());
    } catch (NumberFormatException ex) {
      return -1;
    }
  }

  private static String get(String url) throws Exception {
    try (InputStream in = java.net.URI.create(url).toURL().openStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String example(String name) {
    try (InputStream in =
        DashboardIT.class.getResourceAsStream("/org/fpnas/core/examples/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
