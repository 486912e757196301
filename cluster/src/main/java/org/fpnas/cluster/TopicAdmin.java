package org.fpnas.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.fpnas.schemas.TopicSpec;

/**
 * Creates topics idempotently and waits until they really serve: every partition has a leader and
 * answers {@code listOffsets}. Producing right after {@code createTopics} returned has hung or lost
 * records (OUT_OF_ORDER_SEQUENCE_NUMBER, KAFKA-15591), because the topic exists in the controller
 * before its partitions are served.
 */
public final class TopicAdmin {
  private static final long BACKOFF_MS = 100;

  private TopicAdmin() {}

  /**
   * {@link #createAndAwait} for topic specs, each with the cluster's {@code
   * default.replication.factor} (and so its {@code min.insync.replicas}): three on a production
   * cluster, one on the embedded single broker.
   */
  public static void ensureTopics(Admin admin, List<TopicSpec> specs, Duration timeout) {
    List<NewTopic> topics = new ArrayList<>();
    for (TopicSpec spec : specs) {
      topics.add(newTopic(spec));
    }
    createAndAwait(admin, topics, timeout);
  }

  /** The topic to create for a spec: its partitions and configs, the cluster's replication. */
  static NewTopic newTopic(TopicSpec spec) {
    return new NewTopic(spec.name(), Optional.of(spec.partitions()), Optional.empty())
        .configs(spec.configs());
  }

  /**
   * Creates the topics that do not exist yet (existing ones are left as they are) and waits until
   * all of them are ready; throws {@link IllegalStateException} naming the last error on timeout. A
   * client that may not create topics (a team on a secure cluster) passes when the topics exist.
   */
  public static void createAndAwait(Admin admin, Collection<NewTopic> topics, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, NewTopic> pending = new LinkedHashMap<>();
    for (NewTopic topic : topics) {
      pending.put(topic.name(), topic);
    }
    List<String> names = new ArrayList<>(pending.keySet());
    Throwable last = null;
    while (!pending.isEmpty()) {
      long remainingMs = remainingMs(deadline);
      if (remainingMs <= 0) {
        throw new IllegalStateException(
            "could not create topics "
                + pending.keySet()
                + " within "
                + timeout.toMillis()
                + " ms"
                + lastError(last),
            last);
      }
      CreateTopicsResult result =
          admin.createTopics(
              pending.values(),
              new CreateTopicsOptions().timeoutMs((int) Math.min(remainingMs, 10_000)));
      for (String name : result.values().keySet()) {
        try {
          result.values().get(name).get(remainingMs(deadline), TimeUnit.MILLISECONDS);
          pending.remove(name);
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof TopicExistsException) {
            pending.remove(name);
          } else if (cause instanceof TopicAuthorizationException refused) {
            // The broker refuses a create before it looks whether the topic exists; ask whether it
            // does.
            requireExisting(admin, name, refused, deadline);
            pending.remove(name);
          } else if (cause instanceof RetriableException
              || cause instanceof InvalidReplicationFactorException) {
            // A broker that is still registering (fenced) makes the controller refuse placement.
            last = cause;
          } else {
            throw new IllegalStateException("cannot create topic '" + name + "': " + cause, cause);
          }
        } catch (TimeoutException e) {
          last = e;
        } catch (InterruptedException e) {
          throw interrupted(e);
        }
      }
      if (!pending.isEmpty()) {
        sleep();
      }
    }
    awaitReady(admin, names, Duration.ofMillis(Math.max(1, remainingMs(deadline))));
  }

  private static void requireExisting(
      Admin admin, String topic, TopicAuthorizationException refused, long deadline) {
    try {
      admin
          .describeTopics(List.of(topic))
          .allTopicNames()
          .get(Math.max(1, remainingMs(deadline)), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "topic "
              + topic
              + " cannot be created or described with these client "
              + "settings (not authorized); on a secure cluster an administrator creates a team's topics with "
              + "'fpnas team create'",
          refused);
    } catch (InterruptedException e) {
      throw interrupted(e);
    }
  }

  /**
   * Waits until every partition of the topics has a leader and answers {@code listOffsets}; throws
   * {@link IllegalStateException} naming the last problem on timeout.
   */
  public static void awaitReady(Admin admin, Collection<String> topics, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Set<String> names = new LinkedHashSet<>(topics);
    Object last = null;
    while (true) {
      try {
        Map<String, TopicDescription> descriptions =
            admin
                .describeTopics(names)
                .allTopicNames()
                .get(Math.max(1, remainingMs(deadline)), TimeUnit.MILLISECONDS);
        Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
        String leaderless = null;
        for (TopicDescription description : descriptions.values()) {
          for (TopicPartitionInfo partition : description.partitions()) {
            Node leader = partition.leader();
            if (leader == null || leader.isEmpty() || leader.id() < 0) {
              leaderless = description.name() + "-" + partition.partition();
            }
            specs.put(
                new TopicPartition(description.name(), partition.partition()), OffsetSpec.latest());
          }
        }
        if (leaderless == null) {
          admin
              .listOffsets(specs)
              .all()
              .get(Math.max(1, remainingMs(deadline)), TimeUnit.MILLISECONDS);
          return;
        }
        last = "partition " + leaderless + " has no leader";
      } catch (ExecutionException e) {
        // Unknown topic or partition, a retriable error: the topic is still being created.
        if (!(e.getCause() instanceof RetriableException)) {
          throw new IllegalStateException(
              "topics " + names + " are not usable: " + e.getCause(), e.getCause());
        }
        last = e.getCause();
      } catch (TimeoutException e) {
        last = e;
      } catch (InterruptedException e) {
        throw interrupted(e);
      }
      if (remainingMs(deadline) <= 0) {
        throw new IllegalStateException(
            "topics "
                + names
                + " not ready within "
                + timeout.toMillis()
                + " ms"
                + lastError(last));
      }
      sleep();
    }
  }

  /** The names of the topics that exist on the cluster (that this client may see). */
  public static Set<String> existing(Admin admin, Duration timeout) {
    try {
      return admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot list topics: " + e, e);
    } catch (InterruptedException e) {
      throw interrupted(e);
    }
  }

  private static long remainingMs(long deadline) {
    return TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
  }

  private static String lastError(Object last) {
    return last == null ? "" : " (last: " + last + ")";
  }

  private static void sleep() {
    try {
      Thread.sleep(BACKOFF_MS);
    } catch (InterruptedException e) {
      throw interrupted(e);
    }
  }

  private static IllegalStateException interrupted(InterruptedException e) {
    Thread.currentThread().interrupt();
    return new IllegalStateException("interrupted while waiting for topics", e);
  }
}
