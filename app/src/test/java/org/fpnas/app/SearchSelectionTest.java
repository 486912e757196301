package org.fpnas.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The commands that act on one recorded search all select it through {@link SearchSelection}. */
class SearchSelectionTest {
  @Test
  void everySingleSearchCommandTakesTheTeamThroughTheSharedMixin() {
    Map<String, List<String>> commands =
        Map.of(
            "export", List.of("--output", "out"),
            "result", List.of(),
            "fork", List.of("--from-iteration", "3"),
            "replay", List.of(),
            "train-final", List.of());
    for (var c : commands.entrySet()) {
      List<String> args = new ArrayList<>(List.of(c.getKey()));
      args.addAll(c.getValue());
      args.addAll(List.of("--team", "vision", "s-1"));
      CommandLine.ParseResult parsed = Main.commandLine().parseArgs(args.toArray(String[]::new));
      Object command = parsed.subcommand().commandSpec().userObject();
      SearchSelection selection = selectionOf(command);
      assertEquals("vision", selection.team, c.getKey());
      assertEquals("vision", selection.resolve(new ClusterOptions()), c.getKey());
    }
  }

  private static SearchSelection selectionOf(Object command) {
    if (command instanceof ExportCommand e) {
      return e.search;
    } else if (command instanceof ResultCommand r) {
      return r.search;
    } else if (command instanceof ForkCommand f) {
      return f.search;
    } else if (command instanceof ReplayCommand r) {
      return r.search;
    } else if (command instanceof TrainFinalCommand t) {
      return t.search;
    }
    throw new AssertionError("not a single-search command: " + command.getClass());
  }
}
