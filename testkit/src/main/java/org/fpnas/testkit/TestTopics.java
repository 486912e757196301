package org.fpnas.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.fpnas.cluster.TopicAdmin;

/** Topic names unique per test, and topic creation that waits until the topics really serve. */
public final class TestTopics {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final AtomicLong COUNTER = new AtomicLong();

  private TestTopics() {}

  /**
   * A topic name no other test of this run (or an earlier run on the same broker) uses, e.g. {@code
   * samples-3-k2x9f1}; the prefix may hold letters, digits, '.', '_' and '-'.
   */
  public static String unique(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    if (!prefix.matches("[a-zA-Z0-9._-]{1,200}")) {
      throw new IllegalArgumentException(
          "topic prefix '" + prefix + "' must be 1 to 200 letters, digits, " + "'.', '_' or '-'");
    }
    String random = Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36);
    return prefix
        + "-"
        + COUNTER.incrementAndGet()
        + "-"
        + random.substring(0, Math.min(6, random.length()));
  }

  /**
   * Creates single-partition topics and waits until each has a leader and answers {@code
   * listOffsets}.
   */
  public static void create(KafkaInfra infra, String... topics) {
    create(infra, 1, topics);
  }

  /**
   * Creates topics with the given number of partitions (one replica; existing topics are left as
   * they are) and waits until every partition has a leader and answers {@code listOffsets}, because
   * producing right after creation has hung or lost records (KAFKA-15591).
   */
  public static void create(KafkaInfra infra, int partitions, String... topics) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
    }
    List<NewTopic> newTopics = new ArrayList<>();
    for (String topic : topics) {
      newTopics.add(new NewTopic(topic, partitions, (short) 1));
    }
    try (Admin admin = Admin.create(TestClients.adminProps(infra))) {
      TopicAdmin.createAndAwait(admin, newTopics, TIMEOUT);
    }
  }

  /** {@link #unique(String)} then {@link #create(KafkaInfra, int, String...)}; returns the name. */
  public static String createUnique(KafkaInfra infra, String prefix, int partitions) {
    String topic = unique(prefix);
    create(infra, partitions, topic);
    return topic;
  }
}
