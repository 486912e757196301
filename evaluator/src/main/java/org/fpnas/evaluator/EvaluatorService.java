package org.fpnas.evaluator;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicLong;
import org.fpnas.evaluator.api.EvaluatorProvider;
import org.fpnas.schemas.Codecs;
import org.fpnas.schemas.SchemaStore;
import org.fpnas.schemas.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The evaluator service: workers in one consumer group on every team's samples topic, each
 * evaluating one sample at a time and publishing the result. Results are published before the
 * sample's offset is committed, so a worker that dies loses nothing: another one evaluates the
 * sample again and the aggregator counts one result per sample.
 */
public final class EvaluatorService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EvaluatorService.class);

  /** Consumer group of all evaluators. */
  public static final String GROUP = Topics.EVALUATORS_GROUP;

  private final String bootstrapServers;
  private final SchemaStore schemas;
  private int workers = 1;
  private boolean fair = true;
  private String idPrefix = defaultIdPrefix();
  private final Map<String, String> serviceSettings = new HashMap<>();
  private final Map<String, String> clientSettings = new HashMap<>();
  private final List<EvaluatorWorker> running = new ArrayList<>();
  private final AtomicLong evaluated = new AtomicLong();
  private SpecCatalog catalog;
  private TeamWeights weights;
  private EvaluatorMetrics metrics = EvaluatorMetrics.none();

  public EvaluatorService(String bootstrapServers, SchemaStore schemas) {
    this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    this.schemas = Objects.requireNonNull(schemas, "schemas");
  }

  /** Number of worker threads, each an evaluator with its own model (default 1). */
  public EvaluatorService workers(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("evaluator workers must be at least 1, got " + n);
    }
    this.workers = n;
    return this;
  }

  /**
   * Whether each evaluator serves the samples it holds by weighted fair share between teams and
   * searches (default), or in arrival order (the baseline, for comparison).
   */
  public EvaluatorService fairShare(boolean fair) {
    this.fair = fair;
    return this;
  }

  /** Prefix of the evaluator ids recorded in results (default host and process id). */
  public EvaluatorService idPrefix(String prefix) {
    this.idPrefix = Objects.requireNonNull(prefix, "idPrefix");
    return this;
  }

  /** A setting given to every evaluator this service creates. */
  public EvaluatorService setting(String key, String value) {
    serviceSettings.put(key, value);
    return this;
  }

  /** Where the service's metrics go: its own and its Kafka clients' (default: nowhere). */
  public EvaluatorService metrics(io.micrometer.core.instrument.MeterRegistry registry) {
    this.metrics = new EvaluatorMetrics(registry);
    return this;
  }

  /** An extra Kafka client setting (e.g. security settings of the cluster). */
  public EvaluatorService clientProperty(String key, String value) {
    clientSettings.put(key, value);
    return this;
  }

  /** Starts the workers; they join the consumer group and begin to evaluate. */
  public EvaluatorService start() {
    Map<String, EvaluatorProvider> providers = providers();
    Codecs serdes = Codecs.of(schemas);
    catalog = new SpecCatalog(bootstrapServers, serdes.specs(), clientSettings);
    weights = new TeamWeights(bootstrapServers, clientSettings).start();
    for (int i = 0; i < workers; i++) {
      EvaluatorWorker w =
          new EvaluatorWorker(
              idPrefix + "-" + i,
              bootstrapServers,
              clientSettings,
              providers,
              serviceSettings,
              catalog,
              serdes,
              evaluated,
              new FairQueue<>(fair, weights),
              metrics);
      running.add(w);
      w.start();
    }
    LOG.info(
        "evaluator service {} started with {} worker(s), kinds {}",
        idPrefix,
        workers,
        providers.keySet());
    return this;
  }

  /** Samples evaluated (OK or FAILED) by this service since it started. */
  public long evaluated() {
    return evaluated.get();
  }

  static Map<String, EvaluatorProvider> providers() {
    Map<String, EvaluatorProvider> byKind = new HashMap<>();
    for (EvaluatorProvider p : ServiceLoader.load(EvaluatorProvider.class)) {
      byKind.put(p.kind(), p);
    }
    return byKind;
  }

  @Override
  public void close() {
    running.forEach(EvaluatorWorker::stop);
    running.forEach(EvaluatorWorker::awaitStop);
    running.clear();
    if (catalog != null) {
      catalog.close();
      catalog = null;
    }
    if (weights != null) {
      weights.close();
      weights = null;
    }
  }

  private static String defaultIdPrefix() {
    String host = System.getenv().getOrDefault("HOSTNAME", "evaluator");
    return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
  }

  /** The serdes a worker uses. */
  static Duration specWait() {
    return Duration.ofSeconds(10);
  }
}
