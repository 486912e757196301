package org.fpnas.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.SameSite;
import io.javalin.http.ServiceUnavailableResponse;
import io.javalin.http.UnauthorizedResponse;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.fpnas.admin.CredentialCheck;
import org.fpnas.admin.ScramCredentials;
import org.fpnas.schemas.TeamSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's login: a team logs in with its SCRAM user's password (checked by logging in to
 * the broker with it) and then sees only its own searches. Every request but the login page, its
 * style sheet and /metrics needs a valid session; a session is re-checked against the broker with
 * every request (the check remembers a login for a minute), so that a deleted team or a changed
 * password ends it. Requests that change something are POSTs that carry the session's token.
 */
final class LoginRoutes {
  static final String COOKIE = "fpnas_session";
  static final String CSRF_HEADER = "X-CSRF-Token";
  static final String LOGIN_PAGE = "/login.html";

  private static final Logger LOG = LoggerFactory.getLogger(LoginRoutes.class);

  /** Paths without data, open before a login. */
  private static final Set<String> PUBLIC =
      Set.of("/login", LOGIN_PAGE, "/style.css", "/favicon.ico", "/metrics");

  private static final String SESSION = "fpnas.session";
  private static final String WRONG = "wrong team or password";

  private final CredentialCheck check;
  private final Canceller canceller;
  private final Sessions sessions;
  private final LoginThrottle throttle;
  private final ObjectMapper json = new ObjectMapper();

  LoginRoutes(CredentialCheck check, Canceller canceller, Clock clock) {
    this.check = Objects.requireNonNull(check, "check");
    this.canceller = Objects.requireNonNull(canceller, "canceller");
    this.sessions = new Sessions(clock);
    this.throttle = new LoginThrottle(clock);
  }

  /** Adds the session check before every route, and the login's own routes. */
  void register(JavalinDefaultRoutingApi routes) {
    routes.before(this::gate);
    routes.post("/login", this::login);
    routes.post("/logout", this::logout);
    routes.get("/api/session", this::session);
    routes.post("/api/cancel", this::cancel);
  }

  /** The teams this request may see: the logged-in team's. */
  TeamScope scope(Context ctx) {
    Session s = ctx.attribute(SESSION);
    if (s == null) {
      throw new UnauthorizedResponse("log in first");
    }
    return s;
  }

  private void gate(Context ctx) {
    if (PUBLIC.contains(ctx.path())) {
      return;
    }
    Optional<Session> found = sessions.find(ctx.cookie(COOKIE)).filter(this::stillAccepted);
    if (found.isPresent()) {
      ctx.attribute(SESSION, found.get());
    } else if (ctx.path().startsWith("/api/") || ctx.path().equals("/events")) {
      throw new UnauthorizedResponse("log in first: " + LOGIN_PAGE);
    } else {
      ctx.redirect(LOGIN_PAGE, HttpStatus.SEE_OTHER);
      ctx.skipRemainingHandlers();
    }
  }

  private boolean stillAccepted(Session s) {
    boolean accepted;
    try {
      accepted = check.accepts(s.credentials().user(), s.credentials().password());
    } catch (IllegalStateException e) {
      throw new ServiceUnavailableResponse("cannot check the login now: " + e.getMessage());
    }
    if (!accepted) {
      sessions.end(s);
    }
    return accepted;
  }

  private void login(Context ctx) {
    String team = Objects.requireNonNullElse(ctx.formParam("team"), "").trim();
    String password = Objects.requireNonNullElse(ctx.formParam("password"), "");
    ScramCredentials credentials;
    try {
      credentials = new ScramCredentials(TeamSettings.userOf(team), password);
    } catch (IllegalArgumentException e) {
      // No principal has that name or password: the broker is not asked.
      answer(ctx, HttpStatus.UNAUTHORIZED, error(WRONG));
      return;
    }
    String user = credentials.user();
    Duration wait = throttle.begin(user);
    if (!wait.isZero()) {
      // The password is not checked, so nothing is said of it.
      tooMany(
          ctx, "team " + team + " must wait after failed logins, or one is being checked", wait);
      return;
    }
    boolean accepted;
    try {
      accepted = check.accepts(user, password);
    } catch (RuntimeException e) {
      throttle.abandoned(user);
      answer(
          ctx,
          HttpStatus.SERVICE_UNAVAILABLE,
          error("cannot check the password now: " + e.getMessage()));
      return;
    }
    if (!accepted) {
      Duration next = throttle.failed(user);
      LOG.warn("Failed dashboard login of team {} from {}", team, ctx.ip());
      if (next.isZero()) {
        answer(ctx, HttpStatus.UNAUTHORIZED, error(WRONG));
      } else {
        tooMany(ctx, WRONG + "; after several failed logins of team " + team, next);
      }
      return;
    }
    throttle.succeeded(user);
    sessions.find(ctx.cookie(COOKIE)).ifPresent(sessions::end);
    Session s = sessions.create(team, credentials);
    ctx.cookie(cookie(ctx, s.id(), -1));
    answer(ctx, HttpStatus.OK, json.createObjectNode().put("team", team));
  }

  private void tooMany(Context ctx, String why, Duration wait) {
    long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
    ctx.header("Retry-After", Long.toString(seconds));
    answer(
        ctx,
        HttpStatus.TOO_MANY_REQUESTS,
        error(why + ": the next try is possible in " + seconds + " s"));
  }

  private void logout(Context ctx) {
    Session s = (Session) scope(ctx);
    requireToken(ctx, s);
    sessions.end(s);
    ctx.cookie(cookie(ctx, "", 0));
    ctx.status(HttpStatus.NO_CONTENT);
  }

  private void session(Context ctx) {
    Session s = (Session) scope(ctx);
    answer(
        ctx,
        HttpStatus.OK,
        json.createObjectNode().put("team", s.team()).put("csrf", s.csrfToken()));
  }

  private void cancel(Context ctx) {
    Session s = (Session) scope(ctx);
    requireToken(ctx, s);
    String team = ctx.queryParam("team");
    String id = ctx.queryParam("id");
    if (team == null || id == null || !s.sees(team)) {
      // The same answer as for a search that does not exist: nothing about other teams.
      throw new NotFoundResponse(
          "no search " + id + " in team " + team + " that this dashboard may read");
    }
    String was = canceller.cancel(s.credentials(), team, id);
    answer(ctx, HttpStatus.ACCEPTED, json.createObjectNode().put("cancelling", id).put("was", was));
  }

  private static void requireToken(Context ctx, Session s) {
    String given = ctx.header(CSRF_HEADER);
    if (given == null
        || !MessageDigest.isEqual(
            given.getBytes(StandardCharsets.UTF_8),
            s.csrfToken().getBytes(StandardCharsets.UTF_8))) {
      throw new ForbiddenResponse("this request needs the session's " + CSRF_HEADER + " header");
    }
  }

  /** HttpOnly and SameSite=Strict always; Secure when the page came over HTTPS. */
  private static Cookie cookie(Context ctx, String value, int maxAge) {
    Cookie c = new Cookie(COOKIE, value);
    c.setPath("/");
    c.setMaxAge(maxAge);
    c.setHttpOnly(true);
    c.setSameSite(SameSite.STRICT);
    c.setSecure("https".equalsIgnoreCase(ctx.scheme()));
    return c;
  }

  private ObjectNode error(String message) {
    return json.createObjectNode().put("error", message);
  }

  private void answer(Context ctx, HttpStatus status, ObjectNode body) {
    try {
      ctx.status(status).contentType("application/json").result(json.writeValueAsString(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  int sessionCount() {
    return sessions.size();
  }
}
