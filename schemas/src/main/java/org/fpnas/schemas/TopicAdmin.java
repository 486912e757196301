package org.fpnas.schemas;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates topics idempotently and waits until they really serve: every partition has a leader and
 * answers {@code listOffsets}. Producing right after {@code createTopics} was seen to hang or lose
 * records (KAFKA-15591), hence the wait.
 */
public final class TopicAdmin {
  private TopicAdmin() {}

  /**
   * Creates the missing topics and waits until every partition of every topic is ready. A client that
   * may not create topics (a team on a secure cluster) passes when the topics exist already.
   */
  public static void ensureTopics(Admin admin, List<TopicSpec> specs, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<NewTopic> create = new ArrayList<>();
    for (TopicSpec spec : specs) {
      create.add(new NewTopic(spec.name(), spec.partitions(), (short) 1).configs(spec.configs()));
    }
    var result = admin.createTopics(create);
    for (var entry : result.values().entrySet()) {
      try {
        entry.getValue().get(remaining(deadline), TimeUnit.NANOSECONDS);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof TopicAuthorizationException refused) {
          // The broker refuses a create before it looks whether the topic exists; ask whether it does.
          requireExisting(admin, entry.getKey(), refused, deadline);
        } else if (!(e.getCause() instanceof TopicExistsException)) {
          throw new IllegalStateException("cannot create topic " + entry.getKey() + ": " + e.getCause(), e.getCause());
        }
      } catch (TimeoutException e) {
        throw new IllegalStateException("timed out after " + timeout + " creating topic " + entry.getKey(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while creating topics", e);
      }
    }
    awaitReady(admin, specs.stream().map(TopicSpec::name).toList(), deadline, timeout);
  }

  private static void requireExisting(Admin admin, String topic, TopicAuthorizationException refused, long deadline) {
    try {
      admin.describeTopics(List.of(topic)).allTopicNames().get(remaining(deadline), TimeUnit.NANOSECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("topic " + topic + " cannot be created or described with these client "
          + "settings (not authorized); on a secure cluster an administrator creates a team's topics with "
          + "'fpnas team create'", refused);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while describing topic " + topic, e);
    }
  }

  private static void awaitReady(Admin admin, List<String> topics, long deadline, Duration timeout) {
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        Map<String, TopicDescription> descriptions =
            admin.describeTopics(topics).allTopicNames().get(remaining(deadline), TimeUnit.NANOSECONDS);
        Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
        boolean leaders = true;
        for (TopicDescription d : descriptions.values()) {
          for (TopicPartitionInfo p : d.partitions()) {
            leaders &= p.leader() != null && !p.leader().isEmpty();
            partitions.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest());
          }
        }
        if (leaders) {
          admin.listOffsets(partitions).all().get(remaining(deadline), TimeUnit.NANOSECONDS);
          return;
        }
      } catch (ExecutionException e) {
        last = e;
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
            && !(e.getCause() instanceof org.apache.kafka.common.errors.RetriableException)) {
          throw new IllegalStateException("topics " + topics + " are not usable: " + e.getCause(), e.getCause());
        }
      } catch (TimeoutException e) {
        last = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for topics", e);
      }
      sleep(100);
    }
    throw new IllegalStateException("topics " + topics + " did not get a leader for every partition within "
        + timeout + (last == null ? "" : ": " + last), last);
  }

  /** The names of the topics that exist among the given ones. */
  public static Set<String> existing(Admin admin, Duration timeout) {
    try {
      return admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot list topics: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while listing topics", e);
    }
  }

  private static long remaining(long deadline) {
    return Math.max(1, deadline - System.nanoTime());
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for topics", e);
    }
  }
}
