package org.fpnas.evaluator;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.fpnas.cluster.ShareGroups;
import org.fpnas.evaluator.api.EvaluatorProvider;
import org.fpnas.evaluator.api.EvaluatorProviders;
import org.fpnas.evaluator.classic.ClassicEvaluatorWorker;
import org.fpnas.evaluator.classic.TeamWeights;
import org.fpnas.evaluator.share.ShareEvaluatorWorker;
import org.fpnas.evaluator.share.ShareSettings;
import org.fpnas.evaluator.worker.EvaluationLimit;
import org.fpnas.evaluator.worker.EvaluatorMetrics;
import org.fpnas.evaluator.worker.PoolWorker;
import org.fpnas.evaluator.worker.SampleEvaluation;
import org.fpnas.evaluator.worker.SpecCatalog;
import org.fpnas.evaluator.worker.WorkerSupervisor;
import org.fpnas.schemas.Codecs;
import org.fpnas.schemas.SchemaStore;
import org.fpnas.schemas.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The evaluator service: workers in the evaluators' classic consumer group on every team's samples
 * topic, each holding the samples of its partitions in a weighted fair queue, evaluating one at a
 * time and publishing the result; or, with {@link #shareGroup(boolean)}, workers in the evaluators'
 * share group, each acquiring one sample at a time. Either way a sample is committed or
 * acknowledged only after its result is written, so a worker that dies loses nothing: another one
 * evaluates the sample again and the aggregator counts one result per sample.
 */
public final class EvaluatorService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EvaluatorService.class);

  /** Consumer group of all evaluators. */
  public static final String GROUP = Topics.EVALUATORS_GROUP;

  /**
   * Share group of the evaluators that take samples through it. A group id has one type for good,
   * so the share group cannot reuse the classic group's id.
   */
  public static final String SHARE_GROUP = Topics.EVALUATORS_SHARE_GROUP;

  private final String bootstrapServers;
  private final SchemaStore schemas;
  private int workers = 1;
  private boolean fair = true;
  private String idPrefix = defaultIdPrefix();
  private final Map<String, String> serviceSettings = new HashMap<>();
  private final Map<String, String> clientSettings = new HashMap<>();
  private volatile WorkerSupervisor supervisor;
  private boolean share;
  private String shareGroup = SHARE_GROUP;
  private int prefetch;
  private final Map<String, String> groupConfigs = new HashMap<>();
  private SampleTopics sampleTopics;
  private Set<String> teams = Set.of();
  private final AtomicLong evaluated = new AtomicLong();
  private SpecCatalog catalog;
  private TeamWeights weights;
  private EvaluatorMetrics metrics = EvaluatorMetrics.none();
  private EvaluationLimit limit = EvaluationLimit.of(EvaluationLimit.DEFAULT);
  private int deliveryLimit = DEFAULT_DELIVERY_LIMIT;

  /**
   * The classic group's default delivery limit: the share group's default ({@code
   * group.share.delivery.count.limit} of a broker left as shipped), so that both pools give a
   * sample the same number of tries.
   */
  public static final int DEFAULT_DELIVERY_LIMIT = 5;

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

  /**
   * Whether the workers take samples through the share group {@value #SHARE_GROUP} (any member
   * acquires the next sample of the partitions it is assigned; members beyond the partition count
   * share partitions) instead of the classic consumer group {@value #GROUP} (default: false). Not
   * the default: measured on this project's machines, the share path costs about twice the classic
   * one per sample (docs/decisions/classic-group-by-default.md). A classic Java pool refuses to
   * start while the share group has members, since both would evaluate every sample.
   */
  public EvaluatorService shareGroup(boolean share) {
    this.share = share;
    return this;
  }

  /** The opposite of {@link #shareGroup(boolean)}. */
  public EvaluatorService classicGroup(boolean classic) {
    return shareGroup(!classic);
  }

  /**
   * The share group's id (default {@value #SHARE_GROUP}); a test runs a pool of its own with
   * another.
   */
  public EvaluatorService shareGroupId(String group) {
    this.shareGroup = Objects.requireNonNull(group, "shareGroupId");
    return this;
  }

  /**
   * With the share group: serve only these teams' samples (a pool of their own, in a share group of
   * its own); empty, the default, serves every team.
   */
  public EvaluatorService teams(Set<String> teams) {
    teams.forEach(Topics::validTeam);
    this.teams = Set.copyOf(teams);
    return this;
  }

  /** Samples a share-group worker may hold beyond the one it evaluates (default 0). */
  public EvaluatorService prefetch(int samples) {
    if (samples < 0) {
      throw new IllegalArgumentException("prefetch must be 0 or more, got " + samples);
    }
    this.prefetch = samples;
    return this;
  }

  /**
   * A config of the share group to set at start, such as {@link ShareGroups#LOCK_DURATION_MS} or
   * {@link ShareGroups#DELIVERY_COUNT_LIMIT}; the broker refuses values outside its bounds.
   */
  public EvaluatorService shareGroupConfig(String name, String value) {
    groupConfigs.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
    return this;
  }

  /**
   * The longest one evaluation may run (default {@link EvaluationLimit#DEFAULT}, 15 minutes). A
   * search's evaluator settings are its team's: past the limit the worker stops the evaluation and
   * settles the sample with a FAILED result that names the limit, and in the share group it renews
   * the sample's lock no longer, so that no search holds an evaluator of the shared pool for ever.
   */
  public EvaluatorService maxEvaluationTime(Duration max) {
    this.limit = EvaluationLimit.of(max);
    return this;
  }

  /**
   * In the classic group, the delivery of a sample that ends it unevaluated, FAILED with a dead
   * letter (default {@value #DEFAULT_DELIVERY_LIMIT}): the deliveries before it began the sample
   * and did not finish it, as when the sample kills its evaluator's process. The share group takes
   * its limit from its group config instead ({@link ShareGroups#DELIVERY_COUNT_LIMIT}).
   */
  public EvaluatorService deliveryLimit(int limit) {
    this.deliveryLimit = ClassicEvaluatorWorker.checkDeliveryLimit(limit);
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

  /** Starts the workers; they join the group and begin to evaluate. */
  public EvaluatorService start() {
    if (!share && !teams.isEmpty()) {
      throw new IllegalArgumentException(
          "serving only the teams "
              + teams
              + " needs the share group; the classic consumer group serves every team (add"
              + " --share-group, or run a client of its own with another group id)");
    }
    if (!share) {
      refuseBesideSharePool();
    }
    Map<String, EvaluatorProvider> providers = EvaluatorProviders.onClassPath();
    Codecs serdes = Codecs.of(schemas);
    catalog = new SpecCatalog(bootstrapServers, serdes.specs(), clientSettings);
    weights = new TeamWeights(bootstrapServers, clientSettings).start();
    ShareSettings shared = share ? prepareShareGroup() : null;
    supervisor =
        new WorkerSupervisor(
                workers,
                slot -> worker(idPrefix + "-" + slot, providers, serdes, shared),
                System::nanoTime)
            .start();
    LOG.info(
        "evaluator service {} started with {} worker(s) in {} {}, kinds {}, at most {} per"
            + " evaluation",
        idPrefix,
        workers,
        shared == null ? "consumer group" : "share group",
        shared == null ? GROUP : shared,
        providers.keySet(),
        limit);
    return this;
  }

  /** A worker of the pool, in the classic group or the share group, not started. */
  private PoolWorker worker(
      String id, Map<String, EvaluatorProvider> providers, Codecs serdes, ShareSettings shared) {
    Function<BooleanSupplier, SampleEvaluation> evaluation =
        stopping ->
            new SampleEvaluation(
                id,
                bootstrapServers,
                clientSettings,
                providers,
                serviceSettings,
                catalog,
                serdes,
                evaluated,
                metrics,
                stopping);
    return shared == null
        ? new ClassicEvaluatorWorker(
            id,
            bootstrapServers,
            clientSettings,
            limit,
            deliveryLimit,
            fair,
            weights,
            metrics,
            evaluation)
        : new ShareEvaluatorWorker(
            id,
            bootstrapServers,
            clientSettings,
            shared,
            limit,
            sampleTopics::current,
            metrics,
            evaluation);
  }

  /**
   * Checks that the cluster has share groups on, sets the group's configs (read committed, from the
   * earliest, and those given), starts the group where the classic group left off ({@link
   * PoolHandOff}) and reads back its delivery limit and lock duration.
   */
  private ShareSettings prepareShareGroup() {
    Properties p = new Properties();
    p.putAll(clientSettings);
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    Duration timeout = Duration.ofSeconds(30);
    try (Admin admin = Admin.create(p)) {
      ShareGroups.requireEnabled(admin, timeout);
      ShareGroups.configure(admin, shareGroup, groupConfigs, timeout);
      PoolHandOff.shareFromClassic(
          admin,
          GROUP,
          shareGroup,
          topic -> teams.isEmpty() || teams.contains(Topics.teamOf(topic)),
          timeout);
      int limit =
          Integer.parseInt(
              ShareGroups.config(admin, shareGroup, ShareGroups.DELIVERY_COUNT_LIMIT, timeout));
      long lockMs =
          Long.parseLong(
              ShareGroups.config(admin, shareGroup, ShareGroups.LOCK_DURATION_MS, timeout));
      sampleTopics = new SampleTopics(bootstrapServers, clientSettings, teams, System::nanoTime);
      return new ShareSettings(shareGroup, prefetch, limit, lockMs);
    }
  }

  /**
   * A classic Java pool would take every team's samples from a running share pool: refused;
   * otherwise the classic group starts where the share pool left off ({@link PoolHandOff}).
   */
  private void refuseBesideSharePool() {
    Properties p = new Properties();
    p.putAll(clientSettings);
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    Set<String> members;
    try (Admin admin = Admin.create(p)) {
      members = OtherPools.shareMembers(admin, shareGroup, Duration.ofSeconds(30));
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          e.getMessage() + " (asked before joining the classic group)", e);
    }
    if (!members.isEmpty()) {
      throw new IllegalStateException(OtherPools.classicBesideShare(shareGroup, members));
    }
    try (Admin admin = Admin.create(p)) {
      PoolHandOff.classicFromShare(admin, GROUP, shareGroup, Duration.ofSeconds(30));
    }
  }

  /**
   * What makes the service unfit to go on, for its liveness check: a worker slot that stayed down
   * despite its replacements ({@link WorkerSupervisor}); null otherwise.
   */
  public String liveProblem() {
    WorkerSupervisor s = supervisor;
    return s == null ? null : s.problem();
  }

  /** Why the service does not evaluate yet, for its readiness check; null once it does. */
  public String readyProblem() {
    return supervisor == null ? "not started" : liveProblem();
  }

  /** Samples evaluated (OK or FAILED) by this service since it started. */
  public long evaluated() {
    return evaluated.get();
  }

  @Override
  public void close() {
    if (supervisor != null) {
      supervisor.close();
      supervisor = null;
    }
    if (sampleTopics != null) {
      sampleTopics.close();
      sampleTopics = null;
    }
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
}
