package org.fpnas.evaluator.djl;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.fpnas.core.space.Architecture;
import org.fpnas.evaluator.api.EvaluationRequest;
import org.fpnas.evaluator.api.Evaluator;
import org.fpnas.evaluator.api.EvaluatorProvider;
import org.fpnas.evaluator.api.Measurement;
import org.fpnas.evaluator.data.DataUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real evaluator (kind {@code djl}): trains a weight-sharing supernet of the search's MBConv
 * space along each sampled path for {@code trainSteps} steps and reports the summed log-likelihood
 * of the iteration's validation batch, the path's multiply-adds as its cost, and validation
 * accuracy, training loss and timings as metrics. Settings: see {@link DjlSettings}.
 *
 * <p>Service settings ({@code fpnas evaluator}): {@code checkpointDir} (a directory shared by the
 * evaluator processes; their replicas average weights through it), {@code checkpointStaleSeconds}
 * (default 600), {@code dataDir} (where the data is on this machine; a search may not give it).
 *
 * <p>A FAILED result goes back to the team that submitted the search, so what goes wrong with this
 * machine's files (the data set, the checkpoint directory) reaches the team only as what the
 * evaluator could not do; which file and why go to the evaluator's log, for its operator.
 */
public final class DjlEvaluator implements Evaluator {
  private static final Logger LOG = LoggerFactory.getLogger(DjlEvaluator.class);

  /** The kind name searches use. */
  public static final String KIND = "djl";

  /** Service setting: where the data set's files are on this machine. */
  public static final String DATA_DIR = "dataDir";

  /** Service setting: the shared checkpoint directory. */
  public static final String CHECKPOINT_DIR = "checkpointDir";

  /** Service setting: seconds after which another replica's checkpoint no longer counts. */
  public static final String CHECKPOINT_STALE_SECONDS = "checkpointStaleSeconds";

  /** Replicas (searches) a process keeps. */
  static final int REPLICAS_KEPT = 4;

  private final ReplicaPool pool;
  private final Map<String, String> serviceSettings;
  private boolean closed;

  DjlEvaluator(ReplicaPool pool, Map<String, String> serviceSettings) {
    DjlRuntime.engine();
    this.pool = pool.retain();
    this.serviceSettings = Map.copyOf(serviceSettings);
  }

  /** A stand-alone evaluator with its own replicas and these service settings. */
  public static DjlEvaluator create(Map<String, String> serviceSettings) {
    return new DjlEvaluator(pool(serviceSettings), serviceSettings);
  }

  @Override
  public Measurement evaluate(EvaluationRequest request) {
    var network =
        request
            .space()
            .network()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "space '"
                            + request.space().name()
                            + "' has no network section; the djl evaluator needs one"));
    DjlSettings settings = DjlSettings.of(request.settings(), serviceSettings, network);
    try {
      return pool.evaluate(request, settings);
    } catch (DataUnavailableException e) {
      throw ownFiles(
          request,
          "its data set "
              + settings.dataset()
              + " is not available on this machine (evaluator service setting "
              + DATA_DIR
              + ")",
          e);
    } catch (UncheckedIOException e) {
      throw ownFiles(request, "it cannot read or write a file of its own", e);
    }
  }

  private static IllegalStateException ownFiles(
      EvaluationRequest request, String what, RuntimeException e) {
    LOG.warn("search {}: {}", request.searchId(), e.getMessage());
    return new IllegalStateException(
        "the djl evaluator cannot evaluate the sample: "
            + what
            + "; its operator finds why in the evaluator's log",
        e);
  }

  /**
   * What this process's supernet of a search, as trained by the evaluations so far, says of an
   * architecture: its log-likelihood and accuracy on the first {@code maxBatches} full validation
   * batches (0: all), without training it (for measuring whether the supernet ranks architectures
   * as training from scratch does).
   *
   * @throws IllegalStateException when this process has not evaluated a sample of the search
   */
  public HeldOutScore scoreHeldOut(String searchId, Architecture architecture, int maxBatches) {
    return pool.scoreHeldOut(searchId, architecture, maxBatches);
  }

  /** This evaluator's replica of a search (for tests). */
  SearchReplica replica(String searchId) {
    return pool.replica(searchId);
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      pool.release();
    }
  }

  static ReplicaPool pool(Map<String, String> serviceSettings) {
    String dir = serviceSettings.get(CHECKPOINT_DIR);
    long stale = 600;
    String staleText = serviceSettings.get(CHECKPOINT_STALE_SECONDS);
    if (staleText != null) {
      try {
        stale = Long.parseLong(staleText.trim());
        if (stale < 1) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "evaluator service setting "
                + CHECKPOINT_STALE_SECONDS
                + " must be a whole number of seconds >= 1, got '"
                + staleText
                + "'");
      }
    }
    return new ReplicaPool(
        dir == null || dir.isBlank() ? null : Path.of(dir.trim()),
        Duration.ofSeconds(stale),
        REPLICAS_KEPT);
  }

  /** The provider the evaluator service finds; the evaluators it creates share one replica pool. */
  public static final class Provider implements EvaluatorProvider {
    private ReplicaPool pool;

    @Override
    public String kind() {
      return KIND;
    }

    @Override
    public synchronized Evaluator create(Map<String, String> serviceSettings) {
      if (pool == null) {
        pool = pool(serviceSettings);
      }
      return new DjlEvaluator(pool, serviceSettings);
    }

    @Override
    public void validateSearchSettings(Map<String, String> searchSettings) {
      DjlSettings.validate(searchSettings);
    }
  }
}
