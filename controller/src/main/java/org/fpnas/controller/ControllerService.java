package org.fpnas.controller;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.fpnas.cluster.ReplicationCheck;
import org.fpnas.cluster.TopicAdmin;
import org.fpnas.controller.aggregator.AggregatorTopology;
import org.fpnas.controller.aggregator.Deadlines;
import org.fpnas.controller.dispatch.DispatchTopology;
import org.fpnas.controller.internals.ControllerMetrics;
import org.fpnas.controller.internals.PoolPacing;
import org.fpnas.schemas.Codecs;
import org.fpnas.schemas.SchemaStore;
import org.fpnas.schemas.TeamSchemas;
import org.fpnas.schemas.TeamSettings;
import org.fpnas.schemas.TopicSpec;
import org.fpnas.schemas.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the controller: the dispatcher and the aggregator topologies, each as an exactly-once Kafka
 * Streams application. It only wires the topologies to Kafka and closes them.
 */
public final class ControllerService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ControllerService.class);

  /** Application id (and consumer group) of the aggregator. */
  public static final String AGGREGATOR_ID = Topics.AGGREGATOR_APPLICATION_ID;

  /**
   * Application id (and consumer group) of the dispatcher: the sampler's, from when it drew the
   * samples as well, so that the dispatcher's state carries over.
   */
  public static final String DISPATCHER_ID = Topics.DISPATCHER_APPLICATION_ID;

  private final String bootstrapServers;
  private final SchemaStore schemas;
  private final Codecs codecs;
  private Path stateDir = Path.of(System.getProperty("java.io.tmpdir"), "fpnas-streams");
  private Duration startTimeout = Duration.ofSeconds(60);
  private Deadlines deadlines = Deadlines.DEFAULT;
  private final Map<String, String> extra = new HashMap<>();
  private final List<KafkaStreams> running = new ArrayList<>();
  private AdminPartitionCounts partitionCounts;
  private final List<KafkaStreamsMetrics> streamsMetrics = new ArrayList<>();
  private ControllerMetrics metrics = ControllerMetrics.none();
  private boolean poolPacing = true;
  private EvaluatorPoolSize poolSize;

  public ControllerService(String bootstrapServers, SchemaStore schemas) {
    this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    this.schemas = Objects.requireNonNull(schemas, "schemas");
    this.codecs = Codecs.of(schemas);
  }

  /** Where Kafka Streams keeps its local state (a cache of the changelogs; safe to delete). */
  public ControllerService stateDir(Path dir) {
    this.stateDir = Objects.requireNonNull(dir, "stateDir");
    return this;
  }

  /** How long an iteration waits for results before re-dispatch, and how many attempts it gets. */
  public ControllerService deadlines(Deadlines deadlines) {
    this.deadlines = java.util.Objects.requireNonNull(deadlines, "deadlines");
    return this;
  }

  /** How long {@link #start()} waits for both applications to run. */
  public ControllerService startTimeout(Duration timeout) {
    this.startTimeout = timeout;
    return this;
  }

  /** Where the controller's metrics go: its own and Kafka Streams' (default: nowhere). */
  public ControllerService metrics(MeterRegistry registry) {
    this.metrics = new ControllerMetrics(registry);
    return this;
  }

  /**
   * Whether every team's samples go through the dispatcher, which keeps each team to its weighted
   * share of the evaluator pool, so that fair sharing holds across the pool (default: on). Off,
   * only teams with limits go through it and the others' samples go out as they are drawn (one hop
   * less from distribution to samples), and fairness is what each evaluator does with what it
   * holds.
   */
  public ControllerService poolPacing(boolean on) {
    this.poolPacing = on;
    return this;
  }

  /** An extra Kafka Streams or client setting (e.g. security settings of the cluster). */
  public ControllerService property(String key, String value) {
    extra.put(key, value);
    return this;
  }

  /** Starts the dispatcher and the aggregator and waits until both are running. */
  public ControllerService start() {
    ensureSharedTopics();
    PoolPacing pacing = PoolPacing.off();
    if (poolPacing) {
      poolSize = new EvaluatorPoolSize(adminSettings());
      pacing = PoolPacing.following(poolSize::window);
    }
    running.add(startApp(DISPATCHER_ID, DispatchTopology.build(codecs, pacing)));
    partitionCounts = new AdminPartitionCounts(adminSettings());
    running.add(
        startApp(
            AGGREGATOR_ID,
            AggregatorTopology.build(codecs, deadlines, partitionCounts, metrics, pacing)));
    long deadline = System.nanoTime() + startTimeout.toNanos();
    for (KafkaStreams s : running) {
      while (s.state() != KafkaStreams.State.RUNNING) {
        if (s.state() == KafkaStreams.State.ERROR
            || s.state() == KafkaStreams.State.NOT_RUNNING
            || s.state() == KafkaStreams.State.PENDING_ERROR) {
          throw new IllegalStateException(
              "controller stopped while starting: Kafka Streams state " + s.state());
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "controller did not reach RUNNING within "
                  + startTimeout
                  + " (state "
                  + s.state()
                  + "); is Kafka at "
                  + bootstrapServers
                  + " reachable?");
        }
        sleep(50);
      }
    }
    LOG.info(
        "controller running (dispatcher and aggregator, exactly-once) on {}", bootstrapServers);
    return this;
  }

  /**
   * The topics the controller's applications share: the team settings (both applications' global
   * store of limits, which Kafka Streams requires to exist), the samples the aggregator draws for
   * the dispatcher and the aggregator's re-dispatched samples (which the dispatcher reads).
   */
  private void ensureSharedTopics() {
    try (Admin admin = Admin.create(adminSettings())) {
      TopicAdmin.ensureTopics(
          admin,
          List.of(
              TeamSettings.topicSpec(),
              new TopicSpec(
                  DispatchTopology.POOL_DEMAND_TOPIC, 1, Map.of("cleanup.policy", "compact")),
              // Co-partitioned by team with the dispatcher's repartition topic. Every sample
              // passes through it and nothing purges it (Kafka Streams purges only its own
              // repartition topics), so it keeps a day: a dispatcher down longer loses what it
              // did not read, and the iteration deadline dispatches those samples again.
              new TopicSpec(
                  Topics.DISPATCH_SAMPLES_TOPIC,
                  DispatchTopology.DISPATCH_PARTITIONS,
                  Map.of("retention.ms", Long.toString(Duration.ofDays(1).toMillis()))),
              new TopicSpec(
                  Topics.REDISPATCH_TOPIC,
                  1,
                  Map.of("retention.ms", Long.toString(Duration.ofDays(7).toMillis())))),
          startTimeout);
      Set<String> existing = TopicAdmin.existing(admin, startTimeout);
      registerTeamSchemas(existing);
      List<String> ours =
          existing.stream().filter(t -> t.startsWith("fpnas.") || t.startsWith("fpnas-")).toList();
      ReplicationCheck.problems(admin, ours, startTimeout).forEach(LOG::warn);
    }
  }

  /**
   * The schemas of every team whose topics exist, so that an evaluator in any language finds the
   * schema it writes with (teams whose topics an older fpnas created had only the ones written so
   * far).
   */
  private void registerTeamSchemas(Set<String> topics) {
    for (String topic : topics) {
      var m = Topics.SEARCHES_PATTERN.matcher(topic);
      if (m.matches()) {
        TeamSchemas.register(schemas, m.group(1));
      }
    }
  }

  private Properties adminSettings() {
    Properties p = new Properties();
    p.putAll(extra);
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return p;
  }

  private KafkaStreams startApp(String applicationId, Topology topology) {
    Properties p =
        StreamsSettings.production(
            applicationId, bootstrapServers, stateDir.resolve(applicationId));
    p.putAll(extra);
    KafkaStreams streams = new KafkaStreams(topology, p);
    streams.setUncaughtExceptionHandler(
        e -> {
          LOG.error("{} failed; replacing the stream thread", applicationId, e);
          return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler
              .StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    KafkaStreamsMetrics binder = new KafkaStreamsMetrics(streams);
    binder.bindTo(metrics.registry());
    streamsMetrics.add(binder);
    streams.start();
    return streams;
  }

  /**
   * What makes the controller unfit to go on (an application in error or stopped), for its liveness
   * check; null while it is fine.
   */
  public String liveProblem() {
    for (KafkaStreams s : running) {
      KafkaStreams.State state = s.state();
      if (state == KafkaStreams.State.ERROR
          || state == KafkaStreams.State.PENDING_ERROR
          || state == KafkaStreams.State.NOT_RUNNING) {
        return "a Kafka Streams application of the controller is " + state;
      }
    }
    return null;
  }

  /** Why the controller does not serve yet, for its readiness check; null once it does. */
  public String readyProblem() {
    if (isRunning()) {
      return null;
    }
    List<String> states = running.stream().map(s -> s.state().toString()).toList();
    return running.isEmpty() ? "not started" : "applications are " + states;
  }

  /** Whether both applications are running. */
  public boolean isRunning() {
    return !running.isEmpty()
        && running.stream()
            .allMatch(
                s ->
                    s.state() == KafkaStreams.State.RUNNING
                        || s.state() == KafkaStreams.State.REBALANCING);
  }

  @Override
  public void close() {
    for (KafkaStreams s : running) {
      // Leave the groups: a controller started next (another instance, a restart) takes the tasks
      // over at once instead of after this one's session times out.
      s.close(
          org.apache.kafka.streams.CloseOptions.timeout(Duration.ofSeconds(30))
              .withGroupMembershipOperation(
                  org.apache.kafka.streams.CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    }
    running.clear();
    if (partitionCounts != null) {
      partitionCounts.close();
      partitionCounts = null;
    }
    if (poolSize != null) {
      poolSize.close();
      poolSize = null;
    }
    streamsMetrics.forEach(KafkaStreamsMetrics::close);
    streamsMetrics.clear();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the controller", e);
    }
  }
}
