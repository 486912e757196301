package org.fpnas.admin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.quota.ClientQuotaFilter;
import org.apache.kafka.common.quota.ClientQuotaFilterComponent;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.serialization.StringSerializer;
import org.fpnas.cluster.TeamSettingsTopic;
import org.fpnas.cluster.TopicAdmin;
import org.fpnas.schemas.SchemaRegistryClient;
import org.fpnas.schemas.TeamSchemas;
import org.fpnas.schemas.TeamSettings;
import org.fpnas.schemas.TopicSpec;
import org.fpnas.schemas.Topics;

/**
 * Creates, lists and deletes teams on a secure cluster, as an administrator: a team is its topics,
 * a SCRAM user {@code team-<name>}, its ACLs ({@link AccessRules#team}), its client quotas, the
 * schemas of its topics ({@link TeamSchemas}), and its record on {@value TeamSettings#TOPIC}.
 */
public final class TeamAdmin implements AutoCloseable {

  /** Kafka's quota keys for a user's bytes per second. */
  public static final String PRODUCER_RATE = "producer_byte_rate";

  public static final String CONSUMER_RATE = "consumer_byte_rate";

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /**
   * A team as the cluster has it now; {@code settings} is null for a SCRAM user without a record.
   */
  public record TeamView(
      String team, TeamSettings settings, boolean hasUser, int acls, Map<String, Double> quotas) {}

  private final String bootstrapServers;
  private final Map<String, String> clientSettings;
  private final SchemaRegistryClient registry;
  private final Admin admin;

  public TeamAdmin(
      String bootstrapServers, Map<String, String> clientSettings, SchemaRegistryClient registry) {
    this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    this.clientSettings = Map.copyOf(clientSettings);
    this.registry = Objects.requireNonNull(registry, "registry");
    Properties p = new Properties();
    p.putAll(clientSettings);
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, "fpnas-team-admin");
    this.admin = Admin.create(p);
  }

  /**
   * Creates the team and returns its new credentials (the password exists nowhere else). Fails if
   * its SCRAM user exists already; waits until the broker applies the user and the ACLs, so that
   * the credentials work when this returns.
   */
  public ScramCredentials create(TeamSettings settings) {
    String team = settings.team();
    if (!settings.principal().equals(TeamSettings.principalOf(team))) {
      throw new IllegalArgumentException(
          "team "
              + team
              + " must have the principal "
              + TeamSettings.principalOf(team)
              + ", got "
              + settings.principal());
    }
    String user = TeamSettings.userOf(team);
    if (userExists(user)) {
      throw new IllegalStateException(
          "team "
              + team
              + " exists (SCRAM user "
              + user
              + "); delete it first with "
              + "'fpnas team delete "
              + team
              + "' (its history stays unless --delete-history is given)");
    }
    // First, as it changes nothing else: the team may read schemas but not register them, so every
    // schema of its topics is registered now (and a registry that refuses us stops us here).
    TeamSchemas.register(registry, team);
    List<TopicSpec> topics = new ArrayList<>(Topics.forTeam(team).specs());
    topics.add(TeamSettings.topicSpec());
    TopicAdmin.ensureTopics(admin, topics, TIMEOUT);
    ScramCredentials credentials = ScramCredentials.generate(user);
    AccessSetup.upsertUser(admin, credentials, TIMEOUT);
    AccessSetup.grant(admin, AccessRules.bindings(AccessRules.team(team)), user, TIMEOUT);
    setQuotas(user, settings.produceRate(), settings.consumeRate());
    publish(team, settings.toJson());
    credentials.awaitLogin(bootstrapServers, ClientTls.of(clientSettings), TIMEOUT);
    return credentials;
  }

  /** Every team with a record or a {@code team-} SCRAM user, by name. */
  public List<TeamView> list() {
    Map<String, TeamSettings> records = TeamSettingsTopic.read(bootstrapServers, clientSettings);
    Set<String> users = new HashSet<>();
    await(admin.describeUserScramCredentials().all(), "list SCRAM users")
        .keySet()
        .forEach(users::add);
    Map<String, Integer> aclCounts = new HashMap<>();
    for (AclBinding b : await(admin.describeAcls(AclBindingFilter.ANY).values(), "list ACLs")) {
      aclCounts.merge(b.entry().principal(), 1, Integer::sum);
    }
    Map<String, TeamView> teams = new TreeMap<>();
    Set<String> names = new HashSet<>(records.keySet());
    for (String user : users) {
      if (user.startsWith("team-") && isTeamName(user.substring(5))) {
        names.add(user.substring(5));
      }
    }
    for (String team : names) {
      TeamSettings settings = records.get(team);
      String principal = settings == null ? TeamSettings.principalOf(team) : settings.principal();
      teams.put(
          team,
          new TeamView(
              team,
              settings,
              users.contains(TeamSettings.userOf(team)),
              aclCounts.getOrDefault(principal, 0),
              quotas(TeamSettings.userOf(team))));
    }
    return List.copyOf(teams.values());
  }

  /**
   * Removes the team's access: its ACLs, SCRAM user, quotas and record. With {@code deleteHistory}
   * its topics go too; otherwise they stay, readable by the services and administrators.
   *
   * @return the names of the deleted topics
   */
  public List<String> delete(String team, boolean deleteHistory) {
    String user = TeamSettings.userOf(team);
    String principal = TeamSettings.principalOf(team);
    await(
        admin
            .deleteAcls(
                List.of(
                    new AclBindingFilter(
                        ResourcePatternFilter.ANY,
                        new AccessControlEntryFilter(
                            principal, null, AclOperation.ANY, AclPermissionType.ANY))))
            .all(),
        "delete the ACLs of " + principal);
    if (userExists(user)) {
      await(
          admin
              .alterUserScramCredentials(
                  List.of(new UserScramCredentialDeletion(user, ScramMechanism.SCRAM_SHA_256)))
              .all(),
          "delete SCRAM user " + user);
    }
    setQuotas(user, 0, 0);
    if (topicExists(TeamSettings.TOPIC)) {
      publish(team, null);
    }
    List<String> deleted = new ArrayList<>();
    if (deleteHistory) {
      Set<String> existing = TopicAdmin.existing(admin, TIMEOUT);
      for (TopicSpec spec : Topics.forTeam(team).specs()) {
        if (existing.contains(spec.name())) {
          deleted.add(spec.name());
        }
      }
      await(admin.deleteTopics(deleted).all(), "delete the topics of team " + team);
    }
    return deleted;
  }

  private boolean userExists(String user) {
    try {
      admin
          .describeUserScramCredentials(List.of(user))
          .description(user)
          .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ResourceNotFoundException) {
        return false;
      }
      throw failed("look up SCRAM user " + user, e.getCause());
    } catch (TimeoutException e) {
      throw failed("look up SCRAM user " + user, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private boolean topicExists(String topic) {
    return TopicAdmin.existing(admin, TIMEOUT).contains(topic);
  }

  /** Sets or (for 0) removes the user's byte-rate quotas. */
  private void setQuotas(String user, long produceRate, long consumeRate) {
    ClientQuotaEntity entity = new ClientQuotaEntity(Map.of(ClientQuotaEntity.USER, user));
    List<ClientQuotaAlteration.Op> ops =
        List.of(
            new ClientQuotaAlteration.Op(
                PRODUCER_RATE, produceRate > 0 ? (double) produceRate : null),
            new ClientQuotaAlteration.Op(
                CONSUMER_RATE, consumeRate > 0 ? (double) consumeRate : null));
    await(
        admin.alterClientQuotas(List.of(new ClientQuotaAlteration(entity, ops))).all(),
        "set the quotas of " + user);
  }

  private Map<String, Double> quotas(String user) {
    ClientQuotaFilter filter =
        ClientQuotaFilter.containsOnly(
            List.of(ClientQuotaFilterComponent.ofEntity(ClientQuotaEntity.USER, user)));
    Map<String, Double> out = new TreeMap<>();
    await(admin.describeClientQuotas(filter).entities(), "describe the quotas of " + user)
        .values()
        .forEach(out::putAll);
    return out;
  }

  /** Writes the team's record, or its tombstone for null. */
  private void publish(String team, String json) {
    Properties p = new Properties();
    p.putAll(clientSettings);
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "fpnas-team-admin");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      producer
          .send(new ProducerRecord<>(TeamSettings.TOPIC, team, json))
          .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw failed(
          "write the settings of team " + team + " to " + TeamSettings.TOPIC, e.getCause());
    } catch (TimeoutException e) {
      throw failed("write the settings of team " + team + " to " + TeamSettings.TOPIC, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static boolean isTeamName(String name) {
    try {
      Topics.validTeam(name);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static <T> T await(KafkaFuture<T> future, String what) {
    try {
      return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw failed(what, e.getCause());
    } catch (TimeoutException e) {
      throw failed(what, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while trying to " + what, e);
    }
  }

  private static IllegalStateException failed(String what, Throwable cause) {
    return new IllegalStateException("cannot " + what + ": " + cause, cause);
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }
}
