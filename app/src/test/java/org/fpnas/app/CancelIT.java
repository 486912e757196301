package org.fpnas.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.fpnas.client.SearchClient;
import org.fpnas.client.SearchRequest;
import org.fpnas.client.history.SearchHistory;
import org.fpnas.client.history.SearchLog;
import org.fpnas.controller.ControllerService;
import org.fpnas.schemas.SchemaRegistryClient;
import org.fpnas.testkit.KafkaInfra;
import org.fpnas.testkit.RealKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fpnas cancel} on a real broker and controller: the search stops where it is. */
@RealKafka
class CancelIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  private final KafkaInfra infra;
  private final SchemaRegistryClient registry;

  CancelIT(KafkaInfra infra) {
    this.infra = infra;
    this.registry = new SchemaRegistryClient(infra.schemaRegistryUrl());
  }

  @Test
  void aRunningSearchIsCancelledAndStaysInTheHistory(@TempDir Path dir) throws Exception {
    String team = "cancel-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    try (SearchClient client = new SearchClient(infra.bootstrapServers(), registry);
        ControllerService controller =
            new ControllerService(infra.bootstrapServers(), registry)
                .stateDir(dir.resolve("streams"))
                .start()) {
      client.ensureTopics(team);
      // No evaluator runs: the search waits at its first iteration until it is cancelled.
      client.submit(
          new SearchRequest("s.yaml", TextFiles.example("small-space.yaml"))
              .team(team)
              .landscape(TextFiles.example("small-landscape.yaml"))
              .searchId("long"));
      awaitState(team, "long", "running");

      Run cancel = fpnas("cancel", "long", "--team", team);
      assertEquals(0, cancel.exit, cancel.err);
      assertTrue(cancel.out.contains("cancelling long (was running)"), cancel.out);
      SearchLog log = awaitState(team, "long", "cancelled");
      assertEquals(0, log.latest().getIteration(), "stopped where it was");

      Run again = fpnas("cancel", "long", "--team", team);
      assertNotEquals(0, again.exit);
      assertTrue(again.err.contains("has already ended (cancelled)"), again.err);

      Run unknown = fpnas("cancel", "nosuch", "--team", team);
      assertNotEquals(0, unknown.exit);
      assertTrue(unknown.err.contains("no search nosuch in team " + team), unknown.err);

      // A search id is its team's: the team cannot reuse it, another team can.
      Path space = dir.resolve("small-space.yaml");
      Files.writeString(space, TextFiles.example("small-space.yaml"));
      Path landscape = dir.resolve("small-landscape.yaml");
      Files.writeString(landscape, TextFiles.example("small-landscape.yaml"));
      String[] submitLong = {
        "--space", space.toString(), "--landscape", landscape.toString(), "--id", "long"
      };
      Run reused = fpnas(concat("submit", submitLong, "--team", team));
      assertNotEquals(0, reused.exit);
      assertTrue(reused.err.contains("search id long is already used"), reused.err);
      String other = team + "-b";
      Run elsewhere = fpnas(concat("submit", submitLong, "--team", other));
      assertEquals(0, elsewhere.exit, elsewhere.err);
      awaitState(other, "long", "running");
      assertEquals("cancelled", awaitState(team, "long", "cancelled").state());
    }
  }

  private record Run(int exit, String out, String err) {}

  private static String[] concat(String command, String[] options, String... more) {
    List<String> all = new java.util.ArrayList<>(List.of(command));
    all.addAll(List.of(options));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  private Run fpnas(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    List<String> all =
        new java.util.ArrayList<>(
            List.of(
                "--bootstrap-servers",
                infra.bootstrapServers(),
                "--schema-registry",
                infra.schemaRegistryUrl()));
    List<String> command = new java.util.ArrayList<>(List.of(args));
    command.addAll(1, all);
    int exit = cl.execute(command.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }

  private SearchLog awaitState(String team, String id, String state) throws Exception {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    String last = "none";
    while (System.nanoTime() < deadline) {
      var found =
          SearchHistory.read(infra.bootstrapServers(), registry, team, false, java.util.Map.of())
              .search(id)
              .orElse(null);
      if (found != null) {
        last = found.state();
        if (last.equals(state)) {
          return found;
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("search " + id + " never became " + state + "; last: " + last);
  }
}
