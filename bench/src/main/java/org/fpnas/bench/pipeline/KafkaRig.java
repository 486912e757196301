package org.fpnas.bench.pipeline;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.ShareGroupDescription;
import org.apache.kafka.clients.admin.ShareMemberDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.fpnas.controller.ControllerService;
import org.fpnas.controller.client.SearchClient;
import org.fpnas.controller.history.SearchWatcher;
import org.fpnas.embedded.EmbeddedInfra;
import org.fpnas.evaluator.EvaluatorService;
import org.fpnas.schemas.SchemaRegistryClient;
import org.fpnas.schemas.TopicAdmin;
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
    if (evaluators != null
        && evaluatorWorkers == workers
        && evaluatorShare == share
        && evaluatorSettings.equals(clientSettings)) {
      return;
    }
    stopEvaluators();
    evaluatorStarts++;
    EvaluatorService service =
        new EvaluatorService(bootstrapServers(), registry)
            .workers(workers)
            .shareGroup(share)
            .idPrefix("bench" + evaluatorStarts + "-n" + workers);
    clientSettings.forEach(service::clientProperty);
    evaluators = service.start();
    evaluatorWorkers = workers;
    evaluatorShare = share;
    evaluatorSettings = Map.copyOf(clientSettings);
    if (share) {
      awaitShareGroup(workers, Topics.forTeam(team).samples());
    } else {
      awaitClassicGroup(workers, Topics.forTeam(team).samples());
    }
  }

  private void awaitClassicGroup(int workers, String samplesTopic) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    String seen = "nothing";
    try (Admin admin = admin()) {
      while (System.nanoTime() < deadline) {
        ConsumerGroupDescription group =
            admin
                .describeConsumerGroups(List.of(EvaluatorService.GROUP))
                .all()
                .get(10, TimeUnit.SECONDS)
                .get(EvaluatorService.GROUP);
        int assigned = 0;
        for (MemberDescription m : group.members()) {
          for (TopicPartition tp : m.assignment().topicPartitions()) {
            assigned += tp.topic().equals(samplesTopic) ? 1 : 0;
          }
        }
        seen =
            group.groupState()
                + " with "
                + group.members().size()
                + " members, "
                + assigned
                + " partitions of "
                + samplesTopic;
        if (group.groupState() == GroupState.STABLE
            && group.members().size() == workers
            && assigned == Topics.DEFAULT_SAMPLE_PARTITIONS) {
          return;
        }
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the evaluators to join", e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("cannot describe the evaluator group: " + e, e);
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
      awaitEmpty(evaluatorShare);
    }
  }

  /**
   * Waits until the group just left has no members: the share pool keeps off topics that classic
   * members hold, a classic pool refuses to start beside share members, and the next pool takes
   * over the last one's positions only once that group is empty (the evaluators' {@code
   * PoolHandOff}), so the next pool must not start while the last one is still listed.
   */
  private void awaitEmpty(boolean share) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    try (Admin admin = admin()) {
      while (System.nanoTime() < deadline) {
        int members;
        try {
          members =
              share
                  ? admin
                      .describeShareGroups(List.of(EvaluatorService.SHARE_GROUP))
                      .all()
                      .get(10, TimeUnit.SECONDS)
                      .get(EvaluatorService.SHARE_GROUP)
                      .members()
                      .size()
                  : admin
                      .describeConsumerGroups(List.of(EvaluatorService.GROUP))
                      .all()
                      .get(10, TimeUnit.SECONDS)
                      .get(EvaluatorService.GROUP)
                      .members()
                      .size();
        } catch (java.util.concurrent.ExecutionException e) {
          return; // no such group: nobody is left in it
        }
        if (members == 0) {
          return;
        }
        Thread.sleep(200);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("cannot describe the evaluators' group: " + e, e);
    }
    throw new IllegalStateException(
        "the stopped evaluators still had members in their group after " + WAIT);
  }

  private void awaitShareGroup(int workers, String samplesTopic) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    String seen = "nothing";
    try (Admin admin = admin()) {
      while (System.nanoTime() < deadline) {
        ShareGroupDescription group;
        try {
          group =
              admin
                  .describeShareGroups(List.of(EvaluatorService.SHARE_GROUP))
                  .all()
                  .get(10, TimeUnit.SECONDS)
                  .get(EvaluatorService.SHARE_GROUP);
        } catch (java.util.concurrent.ExecutionException e) {
          if (!(e.getCause() instanceof org.apache.kafka.common.errors.GroupIdNotFoundException)) {
            throw e;
          }
          seen = "no share group yet";
          Thread.sleep(100);
          continue; // the first worker has not joined yet
        }
        // A share group shares a partition between members only when they outnumber partitions;
        // every member must have one, and every partition a member.
        java.util.Set<Integer> assigned = new java.util.HashSet<>();
        int withWork = 0;
        for (ShareMemberDescription m : group.members()) {
          boolean any = false;
          for (TopicPartition tp : m.assignment().topicPartitions()) {
            if (tp.topic().equals(samplesTopic)) {
              assigned.add(tp.partition());
              any = true;
            }
          }
          withWork += any ? 1 : 0;
        }
        seen =
            group.groupState()
                + " with "
                + group.members().size()
                + " members, "
                + withWork
                + " of them with partitions, "
                + assigned.size()
                + " partitions of "
                + samplesTopic;
        if (group.groupState() == GroupState.STABLE
            && group.members().size() == workers
            && withWork == workers
            && assigned.size() == Topics.DEFAULT_SAMPLE_PARTITIONS) {
          return;
        }
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the evaluators to join", e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("cannot describe the evaluators' share group: " + e, e);
    }
    throw new IllegalStateException(
        workers
            + " evaluators did not form a stable group within "
            + WAIT
            + " (last seen: "
            + seen
            + ")");
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
