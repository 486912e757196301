package org.fpnas.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.javalin.Javalin;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.staticfiles.Location;
import io.micrometer.core.instrument.Gauge;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.fpnas.admin.KafkaLoginCheck;
import org.fpnas.client.history.Export;
import org.fpnas.client.history.Replay;
import org.fpnas.client.history.SearchLog;
import org.fpnas.metrics.PrometheusEndpoint;
import org.fpnas.schemas.SchemaStore;
import org.fpnas.schemas.avro.DistributionUpdate;

/**
 * The web dashboard: the Searches, Search, Compare and Evaluators pages, their JSON, server-sent
 * events when a search changes, and the process's Prometheus metrics at /metrics. Everything it
 * shows comes from the team topics its principal may read; with a login required, each team sees
 * only its own searches and may cancel them ({@link LoginRoutes}).
 */
public final class Dashboard implements AutoCloseable {
  /** Replays kept for searches whose record did not change since. */
  private static final int REPLAYS_KEPT = 256;

  /**
   * Where and how the dashboard serves; immutable.
   *
   * @param requireLogin every page and API answer needs a team's login, and shows that team's
   *     searches only
   * @param tls the TLS context to serve HTTPS with, null for HTTP
   */
  public record Settings(
      String host,
      int port,
      Duration teamDiscovery,
      Duration eventInterval,
      boolean requireLogin,
      SSLContext tls) {
    public Settings {
      Objects.requireNonNull(host, "host");
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException(
            "dashboard port must be between 0 and 65535, got " + port);
      }
      if (teamDiscovery.isNegative()
          || teamDiscovery.isZero()
          || eventInterval.isNegative()
          || eventInterval.isZero()) {
        throw new IllegalArgumentException("dashboard intervals must be positive");
      }
    }

    /** Localhost only, on the given port (0: a free one). */
    public static Settings localhost(int port) {
      return new Settings(
          "127.0.0.1", port, Duration.ofSeconds(5), Duration.ofMillis(300), false, null);
    }

    public Settings host(String host) {
      return new Settings(host, port, teamDiscovery, eventInterval, requireLogin, tls);
    }

    public Settings requireLogin(boolean required) {
      return new Settings(host, port, teamDiscovery, eventInterval, required, tls);
    }

    /** Serves HTTPS only, with the context's certificate (e.g. a PEM certificate and key). */
    public Settings https(SSLContext context) {
      return new Settings(
          host,
          port,
          teamDiscovery,
          eventInterval,
          requireLogin,
          Objects.requireNonNull(context, "TLS context"));
    }
  }

  private static final String WEB = "/org/fpnas/dashboard/web";
  private static final int MAX_PAGE_SIZE = 500;

  private final ObjectMapper json = new ObjectMapper();
  private final SearchViews views = new SearchViews(json);
  private final TeamFeeds feeds;
  private final EvaluatorPool pool;
  private final SearchEvents events;
  private final PrometheusEndpoint metrics;
  private final Javalin app;
  private final String uplotDir;
  private final Settings settings;
  private final LoginRoutes login; // null when no login is required
  private final Cache<String, Replay.Report> replays =
      Caffeine.newBuilder().maximumSize(REPLAYS_KEPT).build();

  private Dashboard(
      Settings settings,
      String bootstrapServers,
      SchemaStore schemas,
      Map<String, String> clientSettings,
      PrometheusEndpoint metrics,
      Clock clock) {
    this.metrics = metrics;
    this.settings = settings;
    this.uplotDir = "META-INF/resources/webjars/uplot/" + webjarVersion("uplot") + "/dist/";
    // First, so that settings a login cannot work with fail before any client starts.
    KafkaLoginCheck check =
        settings.requireLogin()
            ? new KafkaLoginCheck(bootstrapServers, clientSettings, "fpnas-dashboard-login")
            : null;
    this.events = new SearchEvents(settings.eventInterval());
    this.feeds = new TeamFeeds(bootstrapServers, schemas, clientSettings, events::changed);
    this.pool = new EvaluatorPool(bootstrapServers, clientSettings, json, clock);
    this.login =
        check == null
            ? null
            : new LoginRoutes(
                check, new SearchCancel(bootstrapServers, schemas, check, feeds), clock);
    Gauge.builder("fpnas.dashboard.event.clients", events, SearchEvents::clients)
        .description("Browsers following the dashboard's server-sent events")
        .register(metrics.registry());
    Gauge.builder("fpnas.dashboard.records.read", feeds, TeamFeeds::recordsRead)
        .description("Records the dashboard has read from the team topics")
        .register(metrics.registry());
    this.app =
        Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.jetty.host = settings.host();
              config.jetty.port = settings.port();
              if (settings.tls() != null) {
                config.jetty.addConnector((server, http) -> httpsConnector(server, http, settings));
              }
              config.staticFiles.add(WEB, Location.CLASSPATH);
              if (login != null) {
                login.register(config.routes);
              }
              config.routes.get(
                  "/lib/uPlot.js",
                  ctx -> resource(ctx, uplotDir + "uPlot.iife.min.js", "text/javascript"));
              config.routes.get(
                  "/lib/uPlot.css", ctx -> resource(ctx, uplotDir + "uPlot.min.css", "text/css"));
              config.routes.get("/favicon.ico", ctx -> ctx.status(204));
              config.routes.get("/api/searches", this::searches);
              config.routes.get("/api/search", ctx -> send(ctx, views.detail(log(ctx))));
              config.routes.get("/api/replay", this::replay);
              config.routes.get("/api/export", this::export);
              config.routes.get("/api/evaluators", ctx -> send(ctx, pool.view(visible(ctx))));
              config.routes.get(
                  "/metrics",
                  ctx ->
                      ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                          .result(metrics.scrape()));
              config.routes.sse("/events", client -> events.join(client, scope(client.ctx())));
            });
  }

  /**
   * Starts the dashboard: follows the visible teams' topics and serves the pages; {@code metrics}
   * is the process's registry (served at /metrics, closed by the caller).
   */
  public static Dashboard start(
      Settings settings,
      String bootstrapServers,
      SchemaStore schemas,
      Map<String, String> clientSettings,
      PrometheusEndpoint metrics,
      Clock clock) {
    Dashboard d =
        new Dashboard(settings, bootstrapServers, schemas, clientSettings, metrics, clock);
    d.feeds.start(settings.teamDiscovery());
    d.events.start();
    d.app.start();
    return d;
  }

  /** The dashboard's address. */
  public URI url() {
    String host =
        "0.0.0.0".equals(settings.host()) || "::".equals(settings.host())
            ? "localhost"
            : settings.host();
    return URI.create(
        (settings.tls() == null ? "http" : "https") + "://" + host + ":" + app.port() + "/");
  }

  /** The one connector of an HTTPS dashboard: Javalin adds its plain one only when none is set. */
  private static ServerConnector httpsConnector(
      Server server, HttpConfiguration http, Settings settings) {
    SslContextFactory.Server tls = new SslContextFactory.Server();
    tls.setSslContext(settings.tls());
    // Without SNI checks: browsers send no SNI for localhost or an IP address.
    http.addCustomizer(new SecureRequestCustomizer(false));
    ServerConnector connector =
        new ServerConnector(
            server, new SslConnectionFactory(tls, "http/1.1"), new HttpConnectionFactory(http));
    connector.setHost(settings.host());
    connector.setPort(settings.port());
    return connector;
  }

  /** What this request may see: every team's searches, or the logged-in team's. */
  private TeamScope scope(Context ctx) {
    return login == null ? TeamScope.ALL : login.scope(ctx);
  }

  private List<SearchLog> visible(Context ctx) {
    TeamScope scope = scope(ctx);
    return feeds.searches().stream().filter(l -> scope.sees(l.spec().getTeam())).toList();
  }

  private void searches(Context ctx) {
    String team = blankToNull(ctx.queryParam("team"));
    String state = blankToNull(ctx.queryParam("state"));
    int page = intParam(ctx, "page", 0, 0, Integer.MAX_VALUE);
    int size = intParam(ctx, "size", 50, 1, MAX_PAGE_SIZE);
    List<SearchLog> all =
        visible(ctx).stream()
            .filter(l -> team == null || l.spec().getTeam().equals(team))
            .filter(l -> state == null || l.state().equals(state))
            .sorted(
                Comparator.comparingLong((SearchLog l) -> l.spec().getSubmittedAtMs())
                    .reversed()
                    .thenComparing(l -> l.spec().getSearchId()))
            .toList();
    ObjectNode root = json.createObjectNode();
    root.put("total", all.size());
    root.put("page", page);
    root.put("size", size);
    ArrayNode teams = root.putArray("teams");
    TeamScope scope = scope(ctx);
    feeds.teams().stream().filter(scope::sees).forEach(teams::add);
    ArrayNode rows = root.putArray("rows");
    all.stream().skip((long) page * size).limit(size).forEach(l -> rows.add(views.row(l)));
    send(ctx, root);
  }

  /**
   * A replay re-folds a whole search, so each is computed once per search and state of its record
   * (its latest version and the results read), however many pages ask.
   */
  private void replay(Context ctx) {
    SearchLog log = log(ctx);
    DistributionUpdate latest = log.latest();
    String key =
        log.spec().getTeam()
            + "/"
            + log.spec().getSearchId()
            + "@"
            + (latest == null ? -1 : latest.getVersion())
            + "/"
            + log.results().size();
    Replay.Report report = replays.get(key, k -> Replay.verify(log));
    ObjectNode root = json.createObjectNode();
    root.put("identical", report.identical());
    root.put("iterationsChecked", report.iterationsChecked());
    root.put("eventsRead", report.eventsRead());
    root.put(
        "firstDifference",
        report.firstMismatch() == null ? null : report.firstMismatch().toString());
    send(ctx, root);
  }

  private void export(Context ctx) {
    SearchLog log = log(ctx);
    Export.Table table = enumParam(ctx, "table", Export.Table.class);
    Export.Format format = enumParam(ctx, "format", Export.Format.class);
    String name =
        log.spec().getSearchId()
            + "-"
            + table.name().toLowerCase(Locale.ROOT)
            + "."
            + format.name().toLowerCase(Locale.ROOT);
    ctx.header("Content-Disposition", "attachment; filename=\"" + name + "\"")
        .contentType(format == Export.Format.CSV ? "text/csv; charset=utf-8" : "application/json")
        .result(Export.table(log, table, format));
  }

  private SearchLog log(Context ctx) {
    String team = ctx.queryParam("team");
    String id = ctx.queryParam("id");
    if (team == null || id == null) {
      throw new BadRequestResponse("give the search as ?team=TEAM&id=SEARCH");
    }
    // Another team's search gets the answer of one that does not exist.
    return (scope(ctx).sees(team) ? feeds.search(team, id) : Optional.<SearchLog>empty())
        .orElseThrow(
            () ->
                new NotFoundResponse(
                    "no search " + id + " in team " + team + " that this dashboard may read"));
  }

  private void send(Context ctx, Object node) {
    try {
      ctx.contentType("application/json").result(json.writeValueAsString(node));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void resource(Context ctx, String path, String type) {
    InputStream in = Dashboard.class.getClassLoader().getResourceAsStream(path);
    if (in == null) {
      throw new NotFoundResponse(path + " is not on the classpath");
    }
    ctx.contentType(type).header("Cache-Control", "max-age=3600").result(in);
  }

  /**
   * The version of a bundled npm WebJar, from its Maven metadata, so that the pages need not name
   * it.
   */
  static String webjarVersion(String artifact) {
    String path = "META-INF/maven/org.webjars.npm/" + artifact + "/pom.properties";
    try (InputStream in = Dashboard.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(
            "the " + artifact + " WebJar is missing from the classpath (" + path + ")");
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static int intParam(Context ctx, String name, int fallback, int min, int max) {
    String v = ctx.queryParam(name);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n < min || n > max) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new BadRequestResponse(
          name + " must be a whole number from " + min + " to " + max + ", got '" + v + "'");
    }
  }

  private static <E extends Enum<E>> E enumParam(Context ctx, String name, Class<E> type) {
    String v = ctx.queryParam(name);
    try {
      return Enum.valueOf(type, v == null ? "" : v.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new BadRequestResponse(
          name
              + " must be one of "
              + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT)
              + ", got '"
              + v
              + "'");
    }
  }

  @Override
  public void close() {
    events.close();
    app.stop();
    feeds.close();
    pool.close();
  }
}
