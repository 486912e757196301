package org.fpnas.app;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** Consumer-group lag on a team's topics, to wait until services have read everything. */
final class Lag {
  private Lag() {}

  static void awaitZero(
      String bootstrapServers, List<String> groups, String team, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
      long lag = -1;
      while (System.nanoTime() < deadline) {
        lag = 0;
        for (String group : groups) {
          lag += lag(admin, group, "fpnas." + team + ".");
        }
        if (lag == 0) {
          return;
        }
        Thread.sleep(500);
      }
      throw new AssertionError(
          "consumer groups " + groups + " still lag " + lag + " records on team " + team);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted");
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new AssertionError("cannot read consumer lag: " + e, e);
    }
  }

  private static long lag(Admin admin, String group, String prefix)
      throws InterruptedException,
          java.util.concurrent.ExecutionException,
          java.util.concurrent.TimeoutException {
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin
            .listConsumerGroupOffsets(group)
            .partitionsToOffsetAndMetadata()
            .get(10, TimeUnit.SECONDS);
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    committed.keySet().stream()
        .filter(tp -> tp.topic().startsWith(prefix))
        .forEach(tp -> request.put(tp, OffsetSpec.latest()));
    if (request.isEmpty()) {
      return 0;
    }
    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end =
        admin.listOffsets(request).all().get(10, TimeUnit.SECONDS);
    long lag = 0;
    for (var e : end.entrySet()) {
      lag += Math.max(0, e.getValue().offset() - committed.get(e.getKey()).offset());
    }
    return lag;
  }
}
