package org.fpnas.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.ShareGroupDescription;
import org.apache.kafka.clients.admin.ShareMemberDescription;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.fpnas.controller.history.SearchLog;
import org.fpnas.schemas.Topics;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.EvaluationResult;

/**
 * The Evaluators page: the members of the evaluators' share group and of their classic consumer
 * group (as the broker describes them), each one's evaluations per second and busy share over the
 * last minute (from the results it published), and per team the samples outstanding in the current
 * iterations.
 */
final class EvaluatorPool implements AutoCloseable {
  /**
   * The classic consumer group of evaluators without a share consumer (librdkafka clients such as
   * the Python evaluator).
   */
  static final String GROUP = Topics.EVALUATORS_GROUP;

  /** The Java evaluators' share group. */
  static final String SHARE_GROUP = Topics.EVALUATORS_SHARE_GROUP;

  /** The window over which rates are computed. */
  static final long WINDOW_MS = 60_000;

  /** An evaluator with a result this recent counts as busy. */
  static final long BUSY_MS = 5_000;

  private final Admin admin;
  private final ObjectMapper json;
  private final Clock clock;

  EvaluatorPool(
      String bootstrapServers, Map<String, String> clientSettings, ObjectMapper json, Clock clock) {
    Properties p = new Properties();
    p.putAll(clientSettings);
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    this.admin = Admin.create(p);
    this.json = json;
    this.clock = clock;
  }

  ObjectNode view(List<SearchLog> searches) {
    long now = clock.millis();
    ObjectNode root = json.createObjectNode();
    root.put("windowSeconds", WINDOW_MS / 1000);
    Map<String, long[]> activity =
        new TreeMap<>(); // evaluator -> {results in window, busy ms in window, last finish}
    for (SearchLog log : searches) {
      for (EvaluationResult r : log.results()) {
        long[] a = activity.computeIfAbsent(r.getEvaluatorId(), k -> new long[3]);
        a[2] = Math.max(a[2], r.getFinishedAtMs());
        if (now - r.getFinishedAtMs() <= WINDOW_MS) {
          a[0]++;
          a[1] += r.getDurationMs();
        }
      }
    }
    ArrayNode members = root.putArray("members");
    Set<String> listed = new HashSet<>();
    List<String> states = new ArrayList<>();
    try {
      states.add(shareMembers(members, listed, activity, now));
      states.add(classicMembers(members, listed, activity, now));
      root.put("groupState", String.join("; ", states));
    } catch (ExecutionException e) {
      root.put(
          "groupError",
          "the broker would not describe the evaluators' groups: " + e.getCause().getMessage());
    } catch (TimeoutException e) {
      root.put("groupError", "the broker did not describe the evaluators' groups within 10 s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      root.put("groupError", "interrupted");
    }
    // Evaluators seen in results but not in the group now: gone, or the group was not readable.
    activity.forEach(
        (id, a) -> {
          if (!listed.contains(id) && now - a[2] <= WINDOW_MS) {
            member(members.addObject(), id, a, now).put("member", false);
          }
        });
    ArrayNode teams = root.putArray("teams");
    Map<String, long[]> byTeam = new TreeMap<>(); // team -> {outstanding, running searches}
    for (SearchLog log : searches) {
      long[] t = byTeam.computeIfAbsent(log.spec().getTeam(), k -> new long[2]);
      DistributionUpdate u = log.latest();
      if (u != null && !u.getDone()) {
        Set<Integer> done = new HashSet<>();
        log.results().stream()
            .filter(r -> r.getIteration() == u.getIteration())
            .forEach(r -> done.add(r.getIndex()));
        t[0] += Math.max(0, u.getSampleCount() - done.size());
        t[1]++;
      }
    }
    byTeam.forEach(
        (team, t) ->
            teams.addObject().put("team", team).put("outstanding", t[0]).put("running", t[1]));
    return root;
  }

  /** The share group's members (the Java evaluators); its state in words. */
  private String shareMembers(
      ArrayNode members, Set<String> listed, Map<String, long[]> activity, long now)
      throws ExecutionException, TimeoutException, InterruptedException {
    ShareGroupDescription group;
    try {
      group =
          admin
              .describeShareGroups(List.of(SHARE_GROUP))
              .describedGroups()
              .get(SHARE_GROUP)
              .get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        return "share group " + SHARE_GROUP + ": none";
      }
      throw e;
    }
    for (ShareMemberDescription m : group.members()) {
      listed.add(m.clientId());
      member(members.addObject(), m.clientId(), activity.get(m.clientId()), now)
          .put("partitions", m.assignment().topicPartitions().size())
          .put("host", m.host().replaceFirst("^/", ""))
          .put("group", SHARE_GROUP)
          .put("member", true);
    }
    return "share group " + SHARE_GROUP + ": " + group.groupState();
  }

  /** The classic group's members (evaluators without a share consumer); its state in words. */
  private String classicMembers(
      ArrayNode members, Set<String> listed, Map<String, long[]> activity, long now)
      throws ExecutionException, TimeoutException, InterruptedException {
    ConsumerGroupDescription group;
    try {
      group =
          admin
              .describeConsumerGroups(List.of(GROUP))
              .describedGroups()
              .get(GROUP)
              .get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        return "consumer group " + GROUP + ": none";
      }
      throw e;
    }
    for (MemberDescription m : group.members()) {
      listed.add(m.clientId());
      member(members.addObject(), m.clientId(), activity.get(m.clientId()), now)
          .put("partitions", m.assignment().topicPartitions().size())
          .put("host", m.host().replaceFirst("^/", ""))
          .put("group", GROUP)
          .put("member", true);
    }
    return "consumer group " + GROUP + ": " + group.groupState();
  }

  private static ObjectNode member(ObjectNode node, String id, long[] a, long now) {
    node.put("id", id);
    if (a == null) {
      return node.put("state", "idle").put("evaluationsPerSecond", 0.0).put("busyShare", 0.0);
    }
    return node.put("state", now - a[2] <= BUSY_MS ? "busy" : "idle")
        .put("evaluationsPerSecond", a[0] * 1000.0 / WINDOW_MS)
        .put("busyShare", Math.min(1.0, a[1] / (double) WINDOW_MS))
        .put("lastResultMs", a[2]);
  }

  @Override
  public void close() {
    admin.close();
  }
}
