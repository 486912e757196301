package org.fpnas.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.fpnas.client.history.SearchLog;
import org.fpnas.cluster.EvaluatorGroups;
import org.fpnas.cluster.EvaluatorGroups.Group;
import org.fpnas.cluster.EvaluatorGroups.Kind;
import org.fpnas.cluster.EvaluatorGroups.Member;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.EvaluationResult;

/**
 * The Evaluators page: the members of the evaluators' share group and of their classic consumer
 * group (as the broker describes them), each one's evaluations per second and busy share over the
 * last minute (from the results it published), and per team the samples outstanding in the current
 * iterations.
 */
final class EvaluatorPool implements AutoCloseable {
  /** The window over which rates are computed. */
  static final long WINDOW_MS = 60_000;

  /** How long the broker may take to describe a group. */
  private static final Duration DESCRIBE_TIMEOUT = Duration.ofSeconds(10);

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
      // One kind at a time: a group that cannot be described leaves those already listed.
      for (Kind kind : Kind.values()) {
        states.add(listMembers(kind, members, listed, activity, now));
      }
      root.put("groupState", String.join("; ", states));
    } catch (IllegalStateException e) {
      root.put("groupError", e.getMessage()); // says which group, and the broker's error
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

  /**
   * The members of the evaluators' group of that kind (share: the Java evaluators; classic: those
   * without a share consumer); the group's state in words.
   */
  private String listMembers(
      Kind kind, ArrayNode members, Set<String> listed, Map<String, long[]> activity, long now) {
    Group group = EvaluatorGroups.describe(admin, kind, DESCRIBE_TIMEOUT);
    for (Member m : group.members()) {
      listed.add(m.clientId());
      member(members.addObject(), m.clientId(), activity.get(m.clientId()), now)
          .put("partitions", m.partitions().size())
          .put("host", m.host().replaceFirst("^/", ""))
          .put("group", group.id())
          .put("member", true);
    }
    return group.summary();
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
