package org.fpnas.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.fpnas.schemas.TeamSettings;
import org.fpnas.schemas.Topics;

/**
 * The ACLs of fpnas' principals on a secure cluster, each with the reason it exists: the shared
 * services' (every team's topics, their own groups, transactions and internal topics), the schema
 * registry's (its topic) and each team's (its own topics, nothing else). The authorizer denies
 * everything they do not allow.
 */
public final class AccessRules {

  /** One ACL and why fpnas needs it. */
  public record Grant(AclBinding binding, String why) {}

  /** Prefix of every team's topics and of {@code fpnas.teams}. */
  public static final String FPNAS_PREFIX = "fpnas.";

  private AccessRules() {}

  /**
   * What the controller (sampler and aggregator) and the evaluators need, for every team at once.
   */
  public static List<Grant> services(String principal) {
    List<Grant> grants = new ArrayList<>();
    ResourcePattern fpnas = prefixed(ResourceType.TOPIC, FPNAS_PREFIX);
    grants.add(
        allow(
            principal,
            fpnas,
            AclOperation.READ,
            "the controller and the evaluators read every team's "
                + "searches, samples, evaluations and distributions (pattern subscriptions), and "
                + TeamSettings.TOPIC));
    grants.add(
        allow(
            principal,
            fpnas,
            AclOperation.WRITE,
            "the sampler writes samples and admissions, the evaluators "
                + "evaluations, the aggregator distributions (and forwards results a client put on the wrong partition), "
                + "all of them dead letters"));
    grants.add(
        allow(
            principal,
            fpnas,
            AclOperation.DESCRIBE,
            "pattern subscriptions and offset lookups see only "
                + "the topics the principal may describe"));
    grants.add(
        allow(
            principal,
            fpnas,
            AclOperation.DESCRIBE_CONFIGS,
            "the controller checks at start that every fpnas topic has the cluster's"
                + " min.insync.replicas"));
    grants.add(
        allow(
            principal,
            fpnas,
            AclOperation.CREATE,
            "a service may create a team's topics that are missing "
                + "(SearchClient.ensureTopics); 'fpnas team create' normally creates them first"));
    for (String app : List.of(Topics.DISPATCHER_APPLICATION_ID, Topics.AGGREGATOR_APPLICATION_ID)) {
      grants.add(
          allow(
              principal,
              prefixed(ResourceType.TOPIC, app + "-"),
              AclOperation.ALL,
              "Kafka Streams creates, "
                  + "reads, writes, describes (configs included) and purges its internal topics, named "
                  + app
                  + "-..."
                  + (app.equals(Topics.DISPATCHER_APPLICATION_ID)
                      ? " (the dispatcher's repartition topic "
                          + app
                          + "-dispatch-slots-repartition among them); the controller creates "
                          + Topics.DISPATCH_SAMPLES_TOPIC
                          + ", which the aggregator writes and the dispatcher reads"
                      : "; the controller creates "
                          + Topics.REDISPATCH_TOPIC
                          + ", which the aggregator writes and the sampler's dispatcher reads")));
      grants.add(
          allow(
              principal,
              literal(ResourceType.GROUP, app),
              AclOperation.READ,
              "the consumer group of the "
                  + "Kafka Streams application "
                  + app
                  + " (its application id); READ implies DESCRIBE"));
      grants.add(
          allow(
              principal,
              prefixed(ResourceType.TRANSACTIONAL_ID, app + "-"),
              AclOperation.WRITE,
              "exactly-once: each stream thread's producer has the transactional id "
                  + app
                  + "-<process>-<thread>; "
                  + "WRITE implies DESCRIBE"));
    }
    grants.add(
        allow(
            principal,
            literal(ResourceType.GROUP, Topics.EVALUATORS_GROUP),
            AclOperation.READ,
            "the evaluators' consumer group, which shares every team's samples between the evaluators"));
    grants.add(
        allow(
            principal,
            literal(ResourceType.GROUP, Topics.EVALUATORS_SHARE_GROUP),
            AclOperation.READ,
            "the evaluators' share group, which acquires samples one by one"));
    grants.add(
        allow(
            principal,
            literal(ResourceType.GROUP, Topics.EVALUATORS_SHARE_GROUP),
            AclOperation.ALTER_CONFIGS,
            "the evaluator service sets its share group's configs at start (read_committed, earliest,"
                + " lock, delivery limit)"));
    grants.add(
        allow(
            principal,
            literal(ResourceType.GROUP, Topics.EVALUATORS_SHARE_GROUP),
            AclOperation.DESCRIBE_CONFIGS,
            "and reads back its delivery limit and lock duration"));
    grants.add(
        allow(
            principal,
            new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL),
            AclOperation.IDEMPOTENT_WRITE,
            "idempotent producers (evaluators, Kafka Streams); implied by WRITE on a "
                + "topic since Kafka 3.0, explicit for older brokers"));
    return grants;
  }

  /**
   * What a team's principal needs to submit searches and read its own history: READ and DESCRIBE on
   * its topics ({@code fpnas.<team>.}, prefixed) and WRITE on its searches topic. Nothing else: no
   * other team's topics, no internal topics, no consumer group (its readers assign partitions).
   */
  public static List<Grant> team(String team) {
    Topics topics = Topics.forTeam(team);
    String principal = TeamSettings.principalOf(team);
    ResourcePattern own = prefixed(ResourceType.TOPIC, topics.prefix());
    return List.of(
        allow(
            principal,
            own,
            AclOperation.READ,
            "status, history, result, export and watch read the team's topics"),
        allow(
            principal,
            own,
            AclOperation.DESCRIBE,
            "listing the team's topics, their partitions and offsets"),
        allow(
            principal,
            literal(ResourceType.TOPIC, topics.searches()),
            AclOperation.WRITE,
            "submit, cancel and fork write search specs; this also allows its idempotent producer"));
  }

  /**
   * What a dashboard shared by every team needs: to read and describe every team's topics (and
   * {@code fpnas.teams}), and to describe the evaluators' groups for its Evaluators page. Nothing
   * it may write: with {@code --require-login} a cancel is written with the logged-in team's own
   * credentials.
   */
  public static List<Grant> dashboard(String principal) {
    ResourcePattern fpnas = prefixed(ResourceType.TOPIC, FPNAS_PREFIX);
    List<Grant> grants = new ArrayList<>();
    grants.add(
        allow(
            principal,
            fpnas,
            AclOperation.READ,
            "the dashboard follows every team's searches, distributions, admissions and"
                + " evaluations"));
    grants.add(
        allow(
            principal,
            fpnas,
            AclOperation.DESCRIBE,
            "it finds the teams by listing the topics it may describe"));
    for (String group : List.of(Topics.EVALUATORS_GROUP, Topics.EVALUATORS_SHARE_GROUP)) {
      grants.add(
          allow(
              principal,
              literal(ResourceType.GROUP, group),
              AclOperation.DESCRIBE,
              "the Evaluators page lists the members of " + group));
    }
    return grants;
  }

  /** What the schema registry needs as a Kafka client: to create, read and append to its topic. */
  public static List<Grant> registry(String principal, String registryTopic) {
    ResourcePattern topic = literal(ResourceType.TOPIC, registryTopic);
    return List.of(
            AclOperation.CREATE, AclOperation.DESCRIBE, AclOperation.READ, AclOperation.WRITE)
        .stream()
        .map(
            op ->
                allow(
                    principal,
                    topic,
                    op,
                    "the schema registry keeps its schemas on " + registryTopic))
        .toList();
  }

  /** The bindings alone, for {@code Admin.createAcls}. */
  public static List<AclBinding> bindings(List<Grant> grants) {
    return grants.stream().map(Grant::binding).toList();
  }

  /**
   * The same ACL as a {@code kafka-acls.sh} command, for an administrator of an existing cluster.
   */
  public static String kafkaAclsCommand(AclBinding binding) {
    ResourcePattern pattern = binding.pattern();
    StringBuilder command =
        new StringBuilder(
            "kafka-acls.sh --bootstrap-server $BOOTSTRAP --command-config admin.properties "
                + "--add --allow-principal "
                + binding.entry().principal()
                + " --operation "
                + camel(binding.entry().operation().name()));
    switch (pattern.resourceType()) {
      case TOPIC -> command.append(" --topic ").append(pattern.name());
      case GROUP -> command.append(" --group ").append(pattern.name());
      case TRANSACTIONAL_ID -> command.append(" --transactional-id ").append(pattern.name());
      case CLUSTER -> command.append(" --cluster");
      default ->
          throw new IllegalArgumentException(
              "no kafka-acls.sh option for " + pattern.resourceType());
    }
    if (pattern.patternType() == PatternType.PREFIXED) {
      command.append(" --resource-pattern-type prefixed");
    }
    return command.toString();
  }

  private static Grant allow(
      String principal, ResourcePattern pattern, AclOperation operation, String why) {
    return new Grant(
        new AclBinding(
            pattern, new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW)),
        why);
  }

  private static ResourcePattern prefixed(ResourceType type, String prefix) {
    return new ResourcePattern(type, prefix, PatternType.PREFIXED);
  }

  private static ResourcePattern literal(ResourceType type, String name) {
    return new ResourcePattern(type, name, PatternType.LITERAL);
  }

  /** IDEMPOTENT_WRITE -> IdempotentWrite, as kafka-acls.sh spells operations. */
  private static String camel(String name) {
    StringBuilder out = new StringBuilder();
    for (String part : name.toLowerCase(Locale.ROOT).split("_")) {
      out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    return out.toString();
  }
}
