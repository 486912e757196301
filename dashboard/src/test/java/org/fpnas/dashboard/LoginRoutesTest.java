package org.fpnas.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.fpnas.metrics.PrometheusEndpoint;
import org.fpnas.schemas.LocalSchemaStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The login's routes over HTTP, with a fixed password list in place of the broker: which requests
 * need a session, what a login answers, the cookie, the throttle, and the token that a cancel and a
 * logout must carry.
 */
class LoginRoutesTest {
  private final Map<String, String> passwords =
      new ConcurrentHashMap<>(Map.of("team-a", "pw-a", "team-b", "pw-b"));
  private final AtomicInteger checks = new AtomicInteger();
  private final List<String> cancelled = new ArrayList<>();
  private final SteppedClock clock = new SteppedClock();
  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private Javalin app;
  private String base;

  @BeforeEach
  void start() {
    LoginRoutes login =
        new LoginRoutes(
            (user, password) -> {
              checks.incrementAndGet();
              return password.equals(passwords.get(user));
            },
            (as, team, id) -> {
              cancelled.add(as.user() + " " + team + "/" + id);
              return "running";
            },
            clock);
    app =
        Javalin.create(
                config -> {
                  config.startup.showJavalinBanner = false;
                  config.jetty.host = "127.0.0.1";
                  config.jetty.port = 0;
                  config.staticFiles.add("/org/fpnas/dashboard/web", Location.CLASSPATH);
                  login.register(config.routes);
                  config.routes.get(
                      "/api/whoami",
                      ctx -> ctx.result(login.scope(ctx).sees("a") ? "sees a" : "not a"));
                  config.routes.get("/metrics", ctx -> ctx.result("metrics"));
                })
            .start();
    base = "http://127.0.0.1:" + app.port();
  }

  @AfterEach
  void stop() {
    app.stop();
  }

  @Test
  void withoutASessionOnlyTheLoginPageAndMetricsAreServed() throws Exception {
    assertEquals(401, get("/api/whoami", null).statusCode());
    assertEquals(401, get("/api/session", null).statusCode());
    assertEquals(401, get("/events", null).statusCode());
    assertEquals(401, get("/api/whoami", "fpnas_session=made-up").statusCode());
    for (String page : List.of("/", "/index.html", "/search.html?team=a&id=x", "/app.js")) {
      HttpResponse<String> r = get(page, null);
      assertEquals(303, r.statusCode(), page);
      assertEquals("/login.html", r.headers().firstValue("Location").orElseThrow(), page);
    }
    assertEquals(200, get("/login.html", null).statusCode());
    assertEquals(200, get("/style.css", null).statusCode());
    assertEquals("metrics", get("/metrics", null).body());
    assertEquals(401, post("/api/cancel?team=a&id=x", null, null).statusCode());
    assertTrue(cancelled.isEmpty());
  }

  @Test
  void aTeamLogsInWithItsPasswordAndGetsAStrictHttpOnlyCookie() throws Exception {
    HttpResponse<String> ok = login("a", "pw-a");
    assertEquals(200, ok.statusCode(), ok.body());
    String setCookie = ok.headers().firstValue("Set-Cookie").orElseThrow();
    assertTrue(setCookie.startsWith("fpnas_session="), setCookie);
    assertTrue(setCookie.contains("HttpOnly"), setCookie);
    assertTrue(setCookie.contains("SameSite=Strict"), setCookie);
    assertFalse(setCookie.contains("Secure"), "served over plain HTTP: " + setCookie);
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    assertEquals("sees a", get("/api/whoami", cookie).body());
    assertEquals(200, get("/index.html", cookie).statusCode());
    JsonNode session = json.readTree(get("/api/session", cookie).body());
    assertEquals("a", session.get("team").asText());
    assertTrue(session.get("csrf").asText().length() >= 43);

    HttpResponse<String> asB = login("b", "pw-b");
    String cookieB = asB.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    assertEquals("not a", get("/api/whoami", cookieB).body());
  }

  @Test
  void aWrongPasswordOrUnknownTeamIsRefusedWithAClearMessage() throws Exception {
    HttpResponse<String> wrong = login("a", "pw-b");
    assertEquals(401, wrong.statusCode());
    assertEquals("wrong team or password", json.readTree(wrong.body()).get("error").asText());
    assertTrue(wrong.headers().firstValue("Set-Cookie").isEmpty());
    assertEquals(401, login("nobody", "pw-a").statusCode());
    int asked = checks.get();
    assertEquals(401, login("Not A Team!", "pw-a").statusCode());
    assertEquals(401, login("a", "with space").statusCode());
    assertEquals(asked, checks.get(), "names and passwords no principal can have are not checked");
  }

  @Test
  void repeatedFailuresOfATeamAreThrottledWithoutLockingOutTheTeamOrOthers() throws Exception {
    for (int n = 0; n < LoginThrottle.FREE_FAILURES; n++) {
      assertEquals(401, login("a", "guess" + n).statusCode());
    }
    HttpResponse<String> slowed = login("a", "guess");
    assertEquals(429, slowed.statusCode());
    assertEquals("1", slowed.headers().firstValue("Retry-After").orElseThrow());
    assertTrue(
        json.readTree(slowed.body()).get("error").asText().contains("next try is possible in 1 s"),
        slowed.body());
    int asked = checks.get();
    HttpResponse<String> waiting = login("a", "pw-a");
    assertEquals(429, waiting.statusCode(), "not even the right password, while waiting");
    assertFalse(
        waiting.body().contains("wrong"), "the password was not checked: " + waiting.body());
    assertEquals(asked, checks.get(), "no password is checked while the team waits");
    assertEquals(200, login("b", "pw-b").statusCode(), "another team logs in at once");
    clock.advance(Duration.ofSeconds(1));
    assertEquals(200, login("a", "pw-a").statusCode(), "after the wait, the team logs in");
    assertEquals(401, login("a", "guess").statusCode(), "and its failures were forgotten");
  }

  @Test
  void aCancelNeedsTheSessionsTokenAndReachesOnlyTheTeamsOwnSearches() throws Exception {
    String cookie = cookieOf(login("a", "pw-a"));
    String token = json.readTree(get("/api/session", cookie).body()).get("csrf").asText();
    assertEquals(403, post("/api/cancel?team=a&id=s1", cookie, null).statusCode());
    assertEquals(403, post("/api/cancel?team=a&id=s1", cookie, "forged").statusCode());
    assertEquals(404, post("/api/cancel?team=b&id=s1", cookie, token).statusCode());
    assertTrue(cancelled.isEmpty());
    HttpResponse<String> ok = post("/api/cancel?team=a&id=s1", cookie, token);
    assertEquals(202, ok.statusCode(), ok.body());
    assertEquals("running", json.readTree(ok.body()).get("was").asText());
    assertEquals(List.of("team-a a/s1"), cancelled, "as the team's own principal");
  }

  @Test
  void logoutNeedsTheTokenAndEndsTheSession() throws Exception {
    String cookie = cookieOf(login("a", "pw-a"));
    String token = json.readTree(get("/api/session", cookie).body()).get("csrf").asText();
    assertEquals(403, post("/logout", cookie, null).statusCode());
    assertEquals(200, get("/api/whoami", cookie).statusCode());
    HttpResponse<String> out = post("/logout", cookie, token);
    assertEquals(204, out.statusCode());
    String removed = out.headers().firstValue("Set-Cookie").orElseThrow();
    assertTrue(removed.contains("Expires=Thu, 01 Jan 1970"), "the browser drops it: " + removed);
    assertEquals(401, get("/api/whoami", cookie).statusCode());
  }

  @Test
  void aSessionEndsWhenTheBrokerNoLongerAcceptsTheTeamsPassword() throws Exception {
    String cookie = cookieOf(login("a", "pw-a"));
    assertEquals(200, get("/api/whoami", cookie).statusCode());
    passwords.remove("team-a"); // fpnas team delete
    assertEquals(401, get("/api/whoami", cookie).statusCode());
    passwords.put("team-a", "pw-a");
    assertEquals(401, get("/api/whoami", cookie).statusCode(), "the session stays ended");
  }

  @Test
  void aLoginNeedsSaslSettingsAndSaysSoBeforeAnythingStarts() {
    try (PrometheusEndpoint metrics = PrometheusEndpoint.create()) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  Dashboard.start(
                      Dashboard.Settings.localhost(0).requireLogin(true),
                      "localhost:1",
                      new LocalSchemaStore(),
                      Map.of("security.protocol", "PLAINTEXT"),
                      metrics,
                      clock));
      assertTrue(e.getMessage().contains("SASL/SCRAM or SASL/PLAIN"), e.getMessage());
      assertTrue(e.getMessage().contains("security.protocol=PLAINTEXT"), e.getMessage());
    }
  }

  private HttpResponse<String> login(String team, String password) throws Exception {
    String form =
        "team="
            + java.net.URLEncoder.encode(team, java.nio.charset.StandardCharsets.UTF_8)
            + "&password="
            + java.net.URLEncoder.encode(password, java.nio.charset.StandardCharsets.UTF_8);
    return http.send(
        HttpRequest.newBuilder(URI.create(base + "/login"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String cookieOf(HttpResponse<String> login) {
    assertEquals(200, login.statusCode(), login.body());
    return login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
  }

  private HttpResponse<String> get(String path, String cookie) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String cookie, String token) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.noBody());
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    if (token != null) {
      b.header(LoginRoutes.CSRF_HEADER, token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
