package org.fpnas.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.fpnas.client.SearchClient;
import org.fpnas.client.history.SearchWatcher;
import org.fpnas.cluster.EvaluatorGroups;
import org.fpnas.cluster.EvaluatorGroups.Group;
import org.fpnas.cluster.EvaluatorGroups.Kind;
import org.fpnas.cluster.EvaluatorGroups.Member;
import org.fpnas.cluster.TopicAdmin;
import org.fpnas.controller.ControllerService;
import org.fpnas.embedded.EmbeddedInfra;
import org.fpnas.evaluator.EvaluatorService;
import org.fpnas.schemas.SchemaRegistryClient;
import org.fpnas.schemas.TopicSpec;
import org.fpnas.schemas.Topics;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.SearchSpec;

/**
 * The pipeline on one machine for the Kafka benchmarks: the embedded broker (a child process) and
 * schema registry, one controller, and an evaluator service whose size a benchmark sets.
 *
 * <p>The benchmark teams' topics are created up front with {@code message.timestamp.type =
 * LogAppendTime}: the broker then stamps every record when it appends it, so record timestamps read
 * back from the topics measure the pipeline on one clock. (With the default CreateTime the
 * controller's records would carry the timestamp of the event that caused them, which says nothing
 * about when they were written.)
 */
public final class KafkaRig implements AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(90);

  private final EmbeddedInfra infra;
  private final SchemaRegistryClient registry;
  private final Path stateDir;
  private final Consumer<String> progress;
  private final SearchClient client;
  private ControllerService controller;
  private EvaluatorService evaluators;
  private Map<String, String> evaluatorSettings = Map.of();
  private int evaluatorWorkers;
  private boolean evaluatorShare;
  private int evaluatorPrefetch;
  private int evaluatorStarts;
  private int warmUps;

  private KafkaRig(EmbeddedInfra infra, Path stateDir, Consumer<String> progress) {
    this.infra = infra;
    this.registry = new SchemaRegistryClient(infra.schemaRegistryUrl());
    this.stateDir = stateDir;
    this.progress = progress;
    this.client = new SearchClient(infra.bootstrapServers(), registry);
  }

  /** Starts the broker and registry under {@code dir} and creates the teams' topics. */
  public static KafkaRig start(Path dir, List<String> teams, Consumer<String> progress) {
    EmbeddedInfra infra =
        new EmbeddedInfra(dir.resolve("infra")).kafkaPort(0).registryPort(0).start();
    KafkaRig rig = new KafkaRig(infra, dir.resolve("streams"), progress);
    try {
      rig.createTopics(teams);
    } catch (RuntimeException e) {
      rig.close();
      throw e;
    }
    return rig;
  }

  private void createTopics(List<String> teams) {
    List<TopicSpec> specs = new ArrayList<>();
    for (String team : teams) {
      for (TopicSpec s : Topics.forTeam(team).specs()) {
        Map<String, String> configs = new HashMap<>(s.configs());
        configs.put("message.timestamp.type", "LogAppendTime");
        specs.add(new TopicSpec(s.name(), s.partitions(), configs));
      }
    }
    try (Admin admin = admin()) {
      TopicAdmin.ensureTopics(admin, specs, WAIT);
    }
  }

  /** Where Kafka clients connect. */
  public String bootstrapServers() {
    return infra.bootstrapServers();
  }

  /** The schema registry. */
  public SchemaRegistryClient registry() {
    return registry;
  }

  /** An admin client (the caller closes it). */
  public Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
  }

  /** Starts the controller (aggregator and dispatcher) unless it runs. */
  public void startController() {
    if (controller == null) {
      progress.accept("starting the controller ...");
      controller = new ControllerService(bootstrapServers(), registry).stateDir(stateDir).start();
    }
  }

  /** Stops the controller, e.g. before writing a history that no aggregator may act on. */
  public void stopController() {
    if (controller != null) {
      controller.close();
      controller = null;
    }
  }

  /**
   * Runs exactly {@code workers} evaluator workers in the classic group (restarting the service if
   * its size differs) and waits until the group is stable with every partition of the team's
   * samples topic assigned, so that no benchmark times a rebalance.
   */
  public void evaluators(int workers, String team) {
    evaluators(workers, team, Map.of());
  }

  /**
   * {@link #evaluators(int, String)} with extra client settings (e.g. the results' partitioner).
   */
  public void evaluators(int workers, String team, Map<String, String> clientSettings) {
    evaluators(workers, team, clientSettings, false);
  }

  /** The evaluators in the share group ({@code share}) or the classic group. */
  public void evaluators(
      int workers, String team, Map<String, String> clientSettings, boolean share) {
    evaluators(workers, team, clientSettings, share, 0);
  }

  /**
   * The evaluators in the share group ({@code share}, each worker holding {@code prefetch} samples
   * beyond the one it evaluates) or the classic group.
   */
  public void evaluators(
      int workers, String team, Map<String, String> clientSettings, boolean share, int prefetch) {
    if (evaluators != null
        && evaluatorWorkers == workers
        && evaluatorShare == share
        && evaluatorPrefetch == prefetch
        && evaluatorSettings.equals(clientSettings)) {
      return;
    }
    stopEvaluators();
    evaluatorStarts++;
    EvaluatorService service =
        new EvaluatorService(bootstrapServers(), registry)
            .workers(workers)
            .shareGroup(share)
            .prefetch(prefetch)
            .idPrefix("bench" + evaluatorStarts + "-n" + workers);
    clientSettings.forEach(service::clientProperty);
    evaluators = service.start();
    evaluatorWorkers = workers;
    evaluatorShare = share;
    evaluatorPrefetch = prefetch;
    evaluatorSettings = Map.copyOf(clientSettings);
    awaitAssigned(share ? Kind.SHARE : Kind.CLASSIC, workers, Topics.forTeam(team).samples());
  }

  /**
   * Waits until the group is stable with {@code workers} members, each with a partition of the
   * samples topic and every partition with a member (a share group shares a partition between
   * members only when they outnumber the partitions; a classic member may then have none).
   */
  private void awaitAssigned(Kind kind, int workers, String samplesTopic) {
    String seen = "nothing";
    try (Admin admin = admin()) {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (System.nanoTime() < deadline) {
        Group group = EvaluatorGroups.describe(admin, kind, Duration.ofSeconds(10));
        Set<Integer> assigned = new HashSet<>();
        int withWork = 0;
        for (Member m : group.members()) {
          boolean any = false;
          for (TopicPartition tp : m.partitions()) {
            if (tp.topic().equals(samplesTopic)) {
              assigned.add(tp.partition());
              any = true;
            }
          }
          withWork += any ? 1 : 0;
        }
        seen =
            group.summary()
                + " with "
                + group.members().size()
                + " members, "
                + withWork
                + " of them with partitions, "
                + assigned.size()
                + " partitions of "
                + samplesTopic;
        if (group.state().orElse(null) == GroupState.STABLE
            && group.members().size() == workers
            && (kind == Kind.CLASSIC || withWork == workers)
            && assigned.size() == Topics.DEFAULT_SAMPLE_PARTITIONS) {
          return;
        }
        sleep(100);
      }
    }
    throw new IllegalStateException(
        workers
            + " evaluators did not form a stable group within "
            + WAIT
            + " (last seen: "
            + seen
            + ")");
  }

  /**
   * Stops the evaluators, so that samples stay unconsumed (e.g. while results are produced by
   * hand).
   */
  public void stopEvaluators() {
    if (evaluators != null) {
      evaluators.close();
      evaluators = null;
      evaluatorWorkers = 0;
      awaitEmpty(evaluatorShare ? Kind.SHARE : Kind.CLASSIC);
    }
  }

  /**
   * Waits until the group just left has no members: the share pool keeps off topics that classic
   * members hold, a classic pool refuses to start beside share members, and the next pool takes
   * over the last one's positions only once that group is empty (the evaluators' {@code
   * PoolHandOff}), so the next pool must not start while the last one is still listed.
   */
  private void awaitEmpty(Kind kind) {
    try (Admin admin = admin()) {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (System.nanoTime() < deadline) {
        if (EvaluatorGroups.describe(admin, kind, Duration.ofSeconds(10)).members().isEmpty()) {
          return;
        }
        sleep(200);
      }
    }
    throw new IllegalStateException(
        "the stopped evaluators still had members in their group after " + WAIT);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the evaluators' group", e);
    }
  }

  /** Publishes a validated search (its team's topics exist already, so no topic check is timed). */
  public void publish(SearchSpec spec) {
    client.publish(spec);
  }

  /**
   * Runs a short search of the team through the pipeline, untimed, so that the first timed search
   * does not pay one-time costs (the JIT, the first transactions, the evaluators' first look-up of
   * a search, schema ids); benchmarks call it after changing the evaluators.
   */
  public void warmUp(String team) {
    warmUps++;
    SearchSpec spec =
        ExampleSearch.spec(
            team, "warm-up-" + warmUps, Map.of("fixedK", "8", "maxIterations", "3"), 0);
    publish(spec);
    awaitDone(spec, WAIT);
  }

  /** Waits for the final distribution of a search and returns it. */
  public DistributionUpdate awaitDone(SearchSpec spec, Duration timeout) {
    return SearchWatcher.follow(
        bootstrapServers(),
        registry,
        spec.getTeam(),
        spec.getSearchId(),
        Map.of(),
        u -> {},
        timeout);
  }

  @Override
  public void close() {
    try {
      stopEvaluators();
      stopController();
      client.close();
    } finally {
      infra.close();
    }
  }
}
