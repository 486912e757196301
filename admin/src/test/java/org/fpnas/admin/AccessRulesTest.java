package org.fpnas.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.fpnas.schemas.Topics;
import org.junit.jupiter.api.Test;

/** The ACLs of the services and of a team, as built (no broker), and their documentation. */
class AccessRulesTest {

  @Test
  void aTeamMayReadItsOwnTopicsAndWriteOnlyItsSearches() {
    List<AclBinding> acls = AccessRules.bindings(AccessRules.team("a"));
    assertEquals(
        Set.of(
            "TOPIC PREFIXED fpnas.a. READ",
            "TOPIC PREFIXED fpnas.a. DESCRIBE",
            "TOPIC LITERAL fpnas.a.searches WRITE"),
        acls.stream().map(AccessRulesTest::describe).collect(Collectors.toSet()));
    for (AclBinding b : acls) {
      assertEquals("User:team-a", b.entry().principal());
      assertEquals(AclPermissionType.ALLOW, b.entry().permissionType());
    }
    for (String topic :
        List.of(
            "fpnas.a.searches",
            "fpnas.a.samples",
            "fpnas.a.evaluations",
            "fpnas.a.distributions",
            "fpnas.a.dlq",
            "fpnas.a.admissions")) {
      assertTrue(allows(acls, ResourceType.TOPIC, topic, AclOperation.READ), topic);
    }
    for (String topic :
        List.of(
            "fpnas.a.samples",
            "fpnas.a.evaluations",
            "fpnas.a.distributions",
            "fpnas.a.admissions")) {
      assertFalse(
          allows(acls, ResourceType.TOPIC, topic, AclOperation.WRITE),
          "a team never writes " + topic);
    }
    // Not another team (even one whose name starts alike), not fpnas.teams, not internal topics or
    // groups.
    for (String topic :
        List.of(
            "fpnas.ab.searches",
            "fpnas.b.evaluations",
            "fpnas.teams",
            "_schemas",
            "fpnas-aggregator-store-changelog")) {
      for (AclOperation op :
          List.of(AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE)) {
        assertFalse(allows(acls, ResourceType.TOPIC, topic, op), op + " " + topic);
      }
    }
    assertTrue(
        acls.stream().allMatch(b -> b.pattern().resourceType() == ResourceType.TOPIC),
        "no group, transactional id or cluster permission: " + acls);
  }

  @Test
  void theServicesMayRunThePipelineForEveryTeam() {
    List<AccessRules.Grant> grants = AccessRules.services("User:svc");
    List<AclBinding> acls = AccessRules.bindings(grants);
    assertTrue(grants.stream().allMatch(g -> g.why().length() > 20), "every ACL says why");
    assertTrue(acls.stream().allMatch(b -> b.entry().principal().equals("User:svc")));
    for (String topic : List.of("fpnas.a.samples", "fpnas.b.evaluations", "fpnas.teams")) {
      for (AclOperation op :
          List.of(AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE)) {
        assertTrue(allows(acls, ResourceType.TOPIC, topic, op), op + " " + topic);
      }
    }
    for (String app : List.of(Topics.DISPATCHER_APPLICATION_ID, Topics.AGGREGATOR_APPLICATION_ID)) {
      assertTrue(allows(acls, ResourceType.GROUP, app, AclOperation.READ), app);
      assertTrue(allows(acls, ResourceType.TOPIC, app + "-store-changelog", AclOperation.ALL), app);
      assertTrue(
          allows(acls, ResourceType.TRANSACTIONAL_ID, app + "-0f1e-1", AclOperation.WRITE), app);
    }
    // The dispatcher's topics: its repartition topic, the samples the aggregator draws for it and
    // those it dispatches again, the admissions.
    assertTrue(
        allows(
            acls,
            ResourceType.TOPIC,
            "fpnas-dispatcher-dispatch-slots-repartition",
            AclOperation.ALL));
    for (AclOperation op :
        List.of(
            AclOperation.CREATE, AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE)) {
      assertTrue(allows(acls, ResourceType.TOPIC, Topics.REDISPATCH_TOPIC, op), op.toString());
      assertTrue(
          allows(acls, ResourceType.TOPIC, Topics.DISPATCH_SAMPLES_TOPIC, op), op.toString());
    }
    assertTrue(allows(acls, ResourceType.TOPIC, "fpnas.a.admissions", AclOperation.WRITE));
    assertTrue(allows(acls, ResourceType.GROUP, Topics.EVALUATORS_GROUP, AclOperation.READ));
    assertTrue(allows(acls, ResourceType.GROUP, Topics.EVALUATORS_SHARE_GROUP, AclOperation.READ));
    assertTrue(
        allows(
            acls, ResourceType.GROUP, Topics.EVALUATORS_SHARE_GROUP, AclOperation.ALTER_CONFIGS));
    assertFalse(allows(acls, ResourceType.GROUP, "some-other-group", AclOperation.READ));
    assertFalse(allows(acls, ResourceType.TOPIC, "payroll", AclOperation.READ));
    assertTrue(allows(acls, ResourceType.CLUSTER, "kafka-cluster", AclOperation.IDEMPOTENT_WRITE));
  }

  @Test
  void aSharedDashboardReadsEveryTeamAndWritesNothing() {
    List<AccessRules.Grant> grants = AccessRules.dashboard("User:dash");
    List<AclBinding> acls = AccessRules.bindings(grants);
    assertTrue(grants.stream().allMatch(g -> g.why().length() > 20), "every ACL says why");
    for (String topic : List.of("fpnas.a.searches", "fpnas.b.evaluations", "fpnas.teams")) {
      assertTrue(allows(acls, ResourceType.TOPIC, topic, AclOperation.READ), topic);
      assertTrue(allows(acls, ResourceType.TOPIC, topic, AclOperation.DESCRIBE), topic);
    }
    for (String group : List.of(Topics.EVALUATORS_GROUP, Topics.EVALUATORS_SHARE_GROUP)) {
      assertTrue(allows(acls, ResourceType.GROUP, group, AclOperation.DESCRIBE), group);
      assertFalse(allows(acls, ResourceType.GROUP, group, AclOperation.READ), "never a member");
    }
    assertTrue(
        acls.stream()
            .map(b -> b.entry().operation())
            .allMatch(op -> op == AclOperation.READ || op == AclOperation.DESCRIBE),
        "nothing it may write: " + acls);
    assertFalse(allows(acls, ResourceType.TOPIC, "_schemas", AclOperation.READ));
  }

  @Test
  void everyAclIsDocumentedAsAKafkaAclsCommand() throws IOException {
    assertEquals(
        "kafka-acls.sh --bootstrap-server $BOOTSTRAP --command-config admin.properties --add "
            + "--allow-principal User:team-a --operation Read --topic fpnas.a. --resource-pattern-type prefixed",
        AccessRules.kafkaAclsCommand(AccessRules.team("a").get(0).binding()));
    String docs = Files.readString(Path.of("..", "docs", "teams-security.md"));
    for (AccessRules.Grant g : AccessRules.services("User:fpnas-services")) {
      assertTrue(
          docs.contains(AccessRules.kafkaAclsCommand(g.binding())), "docs lack " + g.binding());
    }
    for (AccessRules.Grant g : AccessRules.dashboard("User:fpnas-dashboard")) {
      assertTrue(
          docs.contains(AccessRules.kafkaAclsCommand(g.binding())), "docs lack " + g.binding());
    }
    for (AccessRules.Grant g : AccessRules.team("vision")) {
      assertTrue(
          docs.contains(AccessRules.kafkaAclsCommand(g.binding())), "docs lack " + g.binding());
    }
  }

  private static String describe(AclBinding b) {
    return b.pattern().resourceType()
        + " "
        + b.pattern().patternType()
        + " "
        + b.pattern().name()
        + " "
        + b.entry().operation();
  }

  /**
   * Whether an allow ACL covers the operation on the resource, as the authorizer matches literal
   * and prefixed names.
   */
  private static boolean allows(
      List<AclBinding> acls, ResourceType type, String name, AclOperation op) {
    for (AclBinding b : acls) {
      ResourcePattern p = b.pattern();
      boolean nameMatches =
          p.patternType() == PatternType.LITERAL
              ? p.name().equals(name)
              : name.startsWith(p.name());
      AclOperation granted = b.entry().operation();
      if (p.resourceType() == type
          && nameMatches
          && (granted == op || granted == AclOperation.ALL)) {
        return true;
      }
    }
    return false;
  }
}
