package org.fpnas.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.fpnas.admin.AccessRules;
import org.fpnas.admin.AccessSetup;
import org.fpnas.admin.ScramCredentials;
import org.fpnas.admin.TeamAdmin;
import org.fpnas.client.SearchClient;
import org.fpnas.client.SearchRequest;
import org.fpnas.client.history.SearchHistory;
import org.fpnas.embedded.EmbeddedInfra;
import org.fpnas.metrics.PrometheusEndpoint;
import org.fpnas.schemas.SchemaRegistryClient;
import org.fpnas.schemas.TeamSettings;
import org.fpnas.schemas.avro.SearchSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One dashboard shared by two teams on a secure broker, in a real headless Chromium: team a logs in
 * with its SCRAM password and sees its own search and nothing of team b's (pages, API answers,
 * event stream); a wrong password is refused; a's cancel button stops a's search. The dashboard
 * runs as a principal that may read every team and write nothing, so the cancel can only have been
 * written with a's own credentials.
 */
class DashboardLoginIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void aTeamLogsInSeesOnlyItsOwnSearchesAndCancelsOne() throws Exception {
    // Chromium starts while the broker does.
    CompletableFuture<Browser> starting = CompletableFuture.supplyAsync(Browser::new);
    try (EmbeddedInfra infra =
        new EmbeddedInfra(dir.resolve("infra"))
            .inProcess(true)
            .secure(true)
            .acls(AccessRules.bindings(AccessRules.services("User:" + EmbeddedInfra.SERVICES_USER)))
            .start()) {
      String bootstrap = infra.bootstrapServers();
      ScramCredentials a;
      ScramCredentials b;
      ScramCredentials viewer = ScramCredentials.generate("fpnas-dashboard");
      ScramCredentials admin = infra.adminCredentials();
      try (TeamAdmin teams =
              new TeamAdmin(bootstrap, admin.clientProperties(), registry(infra, admin));
          Admin kafka = Admin.create(props(bootstrap, admin))) {
        a = teams.create(TeamSettings.defaults("a"));
        b = teams.create(TeamSettings.defaults("b"));
        AccessSetup.upsertUser(kafka, viewer, TIMEOUT);
        AccessSetup.grant(
            kafka,
            AccessRules.bindings(AccessRules.dashboard(viewer.principal())),
            "dashboard",
            TIMEOUT);
      }
      viewer.awaitLogin(bootstrap, TIMEOUT);
      SearchSpec ofA = submit(infra, a, "a", "mine");
      SearchSpec ofB = submit(infra, b, "b", "theirs");
      try (PrometheusEndpoint metrics = PrometheusEndpoint.create();
          Dashboard dashboard =
              Dashboard.start(
                  Dashboard.Settings.localhost(0).requireLogin(true),
                  bootstrap,
                  registry(infra, viewer),
                  viewer.clientProperties(),
                  metrics,
                  Clock.systemUTC())) {
        Browser browser = starting.join();
        try {
          asTeamA(infra, dashboard.url().toString(), browser, a, b, ofA, ofB);
        } catch (RuntimeException | AssertionError e) {
          browser.screenshot(Path.of("target", "screenshots", "login-failure.png"));
          System.err.println(browser.diagnostics());
          throw e;
        }
      }
    } finally {
      starting.thenAccept(Browser::close);
    }
  }

  private void asTeamA(
      EmbeddedInfra infra,
      String base,
      Browser browser,
      ScramCredentials a,
      ScramCredentials b,
      SearchSpec ofA,
      SearchSpec ofB)
      throws Exception {
    var driver = browser.driver;
    var js = (JavascriptExecutor) driver;
    WebDriverWait wait = new WebDriverWait(driver, TIMEOUT);
    HttpClient http = HttpClient.newHttpClient();
    assertEquals(
        401,
        http.send(
                HttpRequest.newBuilder(URI.create(base + "api/searches")).build(),
                HttpResponse.BodyHandlers.ofString())
            .statusCode(),
        "no answer without a login");

    // Every page leads to the login; a wrong password is refused with a message.
    driver.get(base + "search.html?team=a&id=" + ofA.getSearchId());
    wait.until(ExpectedConditions.urlContains("/login.html"));
    logIn(driver, "a", "not-" + a.password());
    wait.until(d -> !d.findElement(By.id("error")).getText().isEmpty());
    assertEquals("wrong team or password", driver.findElement(By.id("error")).getText());
    assertTrue(driver.manage().getCookieNamed(LoginRoutes.COOKIE) == null, "no session");

    logIn(driver, "a", a.password());
    wait.until(ExpectedConditions.urlContains("/index.html"));
    var cookie = driver.manage().getCookieNamed(LoginRoutes.COOKIE);
    assertTrue(cookie.isHttpOnly(), "scripts cannot read the session");
    assertEquals("Strict", cookie.getSameSite());
    By mine = By.cssSelector("tr[data-search='a/" + ofA.getSearchId() + "']");
    wait.until(d -> d.findElements(mine).size() == 1);
    assertEquals("a", driver.findElement(By.id("who")).getText());
    assertFalse(driver.getPageSource().contains(ofB.getSearchId()), "b's search is not listed");
    assertEquals(
        List.of("", "a"),
        js.executeScript(
            "return [...document.querySelectorAll('#team option')].map(o => o.value);"),
        "the team filter offers only a");

    // B's search is not there for a, whichever way it is asked for.
    String b1 = "team=b&id=" + ofB.getSearchId();
    for (String path :
        List.of(
            "api/search?" + b1,
            "api/replay?" + b1,
            "api/export?" + b1 + "&table=iterations&format=csv")) {
      assertEquals(404, status(js, "GET", base + path), path);
    }
    assertEquals(404, status(js, "POST", base + "api/cancel?" + b1), "a cannot cancel b's search");
    assertEquals(
        "0",
        String.valueOf(
            js.executeAsyncScript(
                "fetch('/api/searches?team=b').then(r => r.json()).then(d => arguments[0](String(d.total)));")),
        "no rows of b");
    assertFalse(
        String.valueOf(
                js.executeAsyncScript(
                    "fetch('/api/evaluators').then(r => r.text()).then(arguments[0]);"))
            .contains("\"b\""),
        "the pool view has no row of b");

    // A's search page: the event stream tells a of a's searches only; the cancel button stops it.
    driver.get(base + "search.html?team=a&id=" + ofA.getSearchId());
    wait.until(d -> "submitted".equals(d.findElement(By.id("state")).getText()));
    js.executeScript(
        "window.heard = []; new EventSource('/events').addEventListener('search',"
            + " e => window.heard.push(JSON.parse(e.data).team));");
    SearchSpec another = submit(infra, b, "b", "another");
    awaitVisibleToB(base, http, b, another);
    wait.until(d -> d.findElement(By.id("cancel")).isDisplayed());
    driver.findElement(By.id("cancel")).click();
    wait.until(ExpectedConditions.alertIsPresent()).accept();
    wait.until(d -> "cancelled".equals(d.findElement(By.id("state")).getText()));
    assertTrue(
        driver.findElement(By.id("cancelNote")).getText().startsWith("cancelling (was submitted)"));
    wait.until(d -> ((List<?>) js.executeScript("return window.heard;")).contains("a"));
    assertEquals(
        List.of(),
        js.executeScript("return window.heard.filter(t => t !== 'a');"),
        "no event of b's searches reaches a");
    assertTrue(
        driver.findElement(By.id("cancel")).getAttribute("hidden") != null, "ended: no button");

    // Through the topics: a's search is cancelled, b's searches are untouched.
    assertEquals("cancelled", state(infra, a, "a", ofA.getSearchId()));
    assertEquals("submitted", state(infra, b, "b", ofB.getSearchId()));

    // Logging out ends the session.
    driver.findElement(By.id("logout")).click();
    wait.until(ExpectedConditions.urlContains("/login.html"));
    driver.get(base + "index.html");
    wait.until(ExpectedConditions.urlContains("/login.html"));
  }

  private static void logIn(org.openqa.selenium.WebDriver driver, String team, String password) {
    driver.findElement(By.id("team")).clear();
    driver.findElement(By.id("team")).sendKeys(team);
    driver.findElement(By.id("password")).clear();
    driver.findElement(By.id("password")).sendKeys(password);
    driver.findElement(By.id("submit")).click();
  }

  /** The HTTP status of a request from the page, with its session cookie and token. */
  private static int status(JavascriptExecutor js, String method, String url) {
    Object s =
        js.executeAsyncScript(
            "const done = arguments[arguments.length - 1];"
                + " fetch('/api/session').then(r => r.json())"
                + ".then(s => fetch(arguments[1], {method: arguments[0], headers: {'X-CSRF-Token': s.csrf}}))"
                + ".then(r => done(r.status), e => done(String(e)));",
            method,
            url);
    return ((Number) s).intValue();
  }

  /** Waits until the dashboard has read b's new search, logged in as b over plain HTTP. */
  private static void awaitVisibleToB(
      String base, HttpClient http, ScramCredentials b, SearchSpec spec) throws Exception {
    HttpResponse<String> login =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("team=b&password=" + b.password()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, login.statusCode(), login.body());
    String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!http.send(
            HttpRequest.newBuilder(URI.create(base + "api/searches"))
                .header("Cookie", cookie)
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body()
        .contains(spec.getSearchId())) {
      assertTrue(System.nanoTime() < deadline, "the dashboard did not read " + spec.getSearchId());
      Thread.sleep(200);
    }
    // Several event intervals: an event of b's search would have been sent by now.
    Thread.sleep(1_000);
  }

  private static SearchSpec submit(
      EmbeddedInfra infra, ScramCredentials who, String team, String id) {
    try (SearchClient client = new SearchClient(infra.bootstrapServers(), registry(infra, who))) {
      who.clientProperties().forEach(client::clientProperty);
      return client.submit(
          new SearchRequest("small-space.yaml", example("small-space.yaml"))
              .landscape(example("small-landscape.yaml"))
              .team(team)
              .searchId(id + "-" + System.nanoTime()));
    }
  }

  private static String state(
      EmbeddedInfra infra, ScramCredentials who, String team, String searchId) {
    return SearchHistory.read(
            infra.bootstrapServers(), registry(infra, who), team, false, who.clientProperties())
        .search(searchId)
        .orElseThrow()
        .state();
  }

  private static SchemaRegistryClient registry(EmbeddedInfra infra, ScramCredentials who) {
    return new SchemaRegistryClient(infra.schemaRegistryUrl())
        .basicAuth(who.user(), who.password());
  }

  private static Map<String, Object> props(String bootstrap, ScramCredentials who) {
    Map<String, Object> p = new java.util.HashMap<>(who.clientProperties());
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    return p;
  }

  private static String example(String name) {
    try (InputStream in =
        DashboardLoginIT.class.getResourceAsStream("/org/fpnas/core/examples/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
