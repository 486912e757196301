package org.fpnas.bench.pipeline;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fpnas.bench.Bench;
import org.fpnas.bench.BenchContext;
import org.fpnas.bench.ExampleSearch;
import org.fpnas.bench.KafkaRig;
import org.fpnas.bench.report.Section;
import org.fpnas.bench.report.Table;

/**
 * The services' memory as finished searches pile up: a controller, an evaluator service and a
 * dashboard, each in a JVM of its own, measured after every checkpoint of finished searches.
 */
public final class SearchMemoryBench implements Bench {
  static final String TEAM = "bench-memory";
  private static final Map<String, String> SETTINGS =
      Map.of("fixedK", "2", "maxIterations", "2", "learningRate", "0.1");
  private static final Pattern TOTAL = Pattern.compile("\"total\"\\s*:\\s*(\\d+)");
  private static final Duration WAVE_TIMEOUT = Duration.ofMinutes(15);

  @Override
  public String name() {
    return "search-memory";
  }

  @Override
  public String title() {
    return "Memory after many finished searches";
  }

  @Override
  public List<String> teams() {
    return List.of(TEAM);
  }

  @Override
  public String method() {
    return "A controller, an evaluator service (2 workers) and a dashboard, each an fpnas process of"
        + " its own (-Xmx1g) on the embedded broker; small searches (the example space, K = 2, 2"
        + " iterations, no evaluation time) are submitted in waves, each wave waited for until the"
        + " dashboard counts every search done. At each checkpoint every process's heap in use"
        + " after a full collection (`jcmd GC.run`, then `GC.heap_info`) and its resident set"
        + " (VmRSS: heap, metaspace and native memory such as the controller's RocksDB stores).";
  }

  @Override
  public Section run(BenchContext context) throws Exception {
    int[] checkpoints = context.size(new int[] {100, 200, 300}, new int[] {1_000, 5_000, 10_000});
    int wave = context.size(100, 500);
    KafkaRig rig = context.kafka();
    Path dir = context.workDir().resolve("search-memory");
    int port = freePort();
    List<String> cluster =
        List.of("--bootstrap-servers", rig.bootstrapServers(), "--schema-registry", registry(rig));
    Table table =
        new Table()
            .column("searches done")
            .column("minutes")
            .column("controller heap (MiB)", 1)
            .column("controller RSS (MiB)", 1)
            .column("evaluator heap (MiB)", 1)
            .column("evaluator RSS (MiB)", 1)
            .column("dashboard heap (MiB)", 1)
            .column("dashboard RSS (MiB)", 1);
    List<double[]> measured = new ArrayList<>();
    long start = System.nanoTime();
    try (ServiceProcess controller =
            ServiceProcess.start(
                "controller",
                "1g",
                dir.resolve("controller.log"),
                with(cluster, "controller", "--state-dir", dir.resolve("state").toString()));
        ServiceProcess evaluator =
            ServiceProcess.start(
                "evaluator",
                "1g",
                dir.resolve("evaluator.log"),
                with(cluster, "evaluator", "--workers", "2", "--id", "memory"));
        ServiceProcess dashboard =
            ServiceProcess.start(
                "dashboard",
                "1g",
                dir.resolve("dashboard.log"),
                with(cluster, "dashboard", "--port", Integer.toString(port)))) {
      HttpClient http = HttpClient.newHttpClient();
      int submitted = 0;
      for (int checkpoint : checkpoints) {
        while (submitted < checkpoint) {
          int n = Math.min(wave, checkpoint - submitted);
          for (int i = 0; i < n; i++) {
            rig.publish(ExampleSearch.spec(TEAM, "m-" + (submitted + i), SETTINGS, 0));
          }
          submitted += n;
          awaitDone(http, port, submitted, List.of(controller, evaluator, dashboard));
          context.progress("%s: %d searches done", name(), submitted);
        }
        double[] row = {
          checkpoint,
          (System.nanoTime() - start) / 60e9,
          controller.heapAfterGcMib(),
          controller.residentMib(),
          evaluator.heapAfterGcMib(),
          evaluator.residentMib(),
          dashboard.heapAfterGcMib(),
          dashboard.residentMib()
        };
        measured.add(row);
        table.row(
            checkpoint,
            String.format(Locale.ROOT, "%.1f", row[1]),
            row[2],
            row[3],
            row[4],
            row[5],
            row[6],
            row[7]);
      }
    }
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(
        "search",
        ExampleSearch.SPACE
            + " with "
            + ExampleSearch.LANDSCAPE
            + ", "
            + new java.util.TreeMap<>(SETTINGS));
    settings.put("waves", wave + " searches, each waited for");
    settings.put("processes", "controller, evaluator (--workers 2), dashboard; -Xmx1g each");
    return new Section(
        name(),
        title(),
        method(),
        settings,
        checkpoints[checkpoints.length - 1],
        table,
        findings(measured));
  }

  /** Growth per 1,000 searches from the first checkpoint to the last, per process. */
  private static List<String> findings(List<double[]> rows) {
    double[] first = rows.get(0);
    double[] last = rows.get(rows.size() - 1);
    double thousands = (last[0] - first[0]) / 1000.0;
    String[] names = {"controller", "evaluator", "dashboard"};
    List<String> out = new ArrayList<>();
    StringBuilder growth =
        new StringBuilder("Heap after a full collection, growth per 1,000 finished searches from ");
    growth.append(String.format(Locale.ROOT, "%.0f to %.0f searches: ", first[0], last[0]));
    for (int p = 0; p < names.length; p++) {
      int col = 2 + 2 * p;
      growth.append(
          String.format(
              Locale.ROOT,
              "%s%s %.1f MiB (%.1f → %.1f)",
              p == 0 ? "" : "; ",
              names[p],
              (last[col] - first[col]) / thousands,
              first[col],
              last[col]));
    }
    out.add(growth.append('.').toString());
    return out;
  }

  /** Waits until the dashboard counts {@code done} searches of the team done. */
  private static void awaitDone(HttpClient http, int port, int done, List<ServiceProcess> services)
      throws IOException, InterruptedException {
    URI uri =
        URI.create(
            "http://localhost:" + port + "/api/searches?team=" + TEAM + "&state=done&size=1");
    long deadline = System.nanoTime() + WAVE_TIMEOUT.toNanos();
    int seen = -1;
    while (System.nanoTime() < deadline) {
      for (ServiceProcess s : services) {
        s.residentMib(); // throws with the log's tail when the process is gone
      }
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = TOTAL.matcher(r.body());
        if (r.statusCode() == 200 && m.find()) {
          seen = Integer.parseInt(m.group(1));
          if (seen >= done) {
            return;
          }
        }
      } catch (IOException e) {
        // The dashboard is not serving yet.
      }
      Thread.sleep(2_000);
    }
    throw new IllegalStateException(
        "only " + seen + " of " + done + " searches done after " + WAVE_TIMEOUT);
  }

  private static List<String> with(List<String> cluster, String command, String... more) {
    List<String> args = new ArrayList<>();
    args.add(command);
    args.addAll(cluster);
    args.addAll(List.of(more));
    return args;
  }

  private static String registry(KafkaRig rig) {
    return rig.registry().url();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
