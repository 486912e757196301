package org.fpnas.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.fpnas.client.SearchClient;
import org.fpnas.client.SearchRequest;
import org.fpnas.client.history.SearchHistory;
import org.fpnas.client.history.SearchLog;
import org.fpnas.client.history.SearchWatcher;
import org.fpnas.core.Hyperparameters;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.SearchSpec;

/**
 * The demo's search: the one the data dir remembers if it has not ended (a demo run again resumes),
 * else a new one; followed with live progress until it ends.
 */
final class DemoSearch {
  /** The file in the data dir that remembers the demo's search. */
  static final String ID_FILE = "demo-search-id";

  private final DemoCluster cluster;
  private final Path idFile;
  private final PrintWriter out;

  DemoSearch(DemoCluster cluster, Path dataDir, PrintWriter out) {
    this.cluster = cluster;
    this.idFile = dataDir.resolve(ID_FILE);
    this.out = out;
  }

  /** The remembered search if it is still running, else the request submitted as a new one. */
  SearchSpec resumeOrSubmit(SearchClient client, SearchRequest request) {
    Optional<String> previous = rememberedId(idFile);
    if (previous.isPresent()) {
      Optional<SearchLog> log = history(request.team()).search(previous.get());
      if (log.isPresent() && resumable(log.get().state())) {
        out.println("Resuming search " + previous.get() + " (" + log.get().state() + ")");
        return log.get().spec();
      }
    }
    SearchSpec submitted = client.submit(request);
    remember(idFile, submitted.getSearchId());
    out.println("Submitted search " + submitted.getSearchId() + " on " + submitted.getSpaceName());
    out.flush();
    return submitted;
  }

  /** Follows the search with a progress line per iteration until it ends; its last update. */
  DistributionUpdate follow(SearchSpec search, Duration timeout) {
    int maxIterations = Hyperparameters.fromMap(search.getHyperparameters()).maxIterations();
    ProgressPrinter progress =
        new ProgressPrinter(out, System.console() != null, maxIterations, System::nanoTime);
    return SearchWatcher.follow(
        cluster.bootstrapServers(),
        cluster.principals().teamRegistry(),
        search.getTeam(),
        search.getSearchId(),
        cluster.principals().teamSettings(),
        progress,
        timeout);
  }

  /** The search's recorded history. */
  SearchLog log(SearchSpec search) {
    return history(search.getTeam()).search(search.getSearchId()).orElseThrow();
  }

  private SearchHistory history(String team) {
    return SearchHistory.read(
        cluster.bootstrapServers(),
        cluster.principals().teamRegistry(),
        team,
        false,
        cluster.principals().teamSettings());
  }

  /** Whether a search in this state goes on when the demo runs again. */
  static boolean resumable(String state) {
    return !state.equals("done") && !state.equals("cancelled");
  }

  /** The search id remembered in the file, if it exists and is readable. */
  static Optional<String> rememberedId(Path file) {
    try {
      return Files.exists(file) ? Optional.of(Files.readString(file).trim()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  static void remember(Path file, String id) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, id);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
