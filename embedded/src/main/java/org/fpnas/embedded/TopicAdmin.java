package org.fpnas.embedded;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates topics and waits until they really serve: every partition has a leader and answers
 * {@code listOffsets}.
 *
 * <p>Why wait: producing right after {@code createTopics} returned has hung or lost records
 * (OUT_OF_ORDER_SEQUENCE_NUMBER, KAFKA-15591), because the topic exists in the controller before
 * its partitions are served.
 */
public final class TopicAdmin {

    private static final long BACKOFF_MS = 100;

    private TopicAdmin() {
    }

    /**
     * Creates the topics that do not exist yet (existing ones are left as they are) and waits until
     * all of them are ready; throws {@link IllegalStateException} naming the last error on timeout.
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
                throw new IllegalStateException("could not create topics " + pending.keySet() + " within "
                        + timeout.toMillis() + " ms" + lastError(last), last);
            }
            CreateTopicsResult result = admin.createTopics(pending.values(),
                    new CreateTopicsOptions().timeoutMs((int) Math.min(remainingMs, 10_000)));
            for (Map.Entry<String, ?> entry : result.values().entrySet()) {
                String name = entry.getKey();
                try {
                    result.values().get(name).get(remainingMs(deadline), TimeUnit.MILLISECONDS);
                    pending.remove(name);
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof TopicExistsException) {
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

    /**
     * Waits until every partition of the topics has a leader and answers {@code listOffsets};
     * throws {@link IllegalStateException} naming the last problem on timeout.
     */
    public static void awaitReady(Admin admin, Collection<String> topics, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<String> names = new LinkedHashSet<>(topics);
        Object last = null;
        while (true) {
            try {
                Map<String, TopicDescription> descriptions =
                        admin.describeTopics(names).allTopicNames().get(remainingMs(deadline), TimeUnit.MILLISECONDS);
                Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
                String leaderless = null;
                for (TopicDescription description : descriptions.values()) {
                    for (TopicPartitionInfo partition : description.partitions()) {
                        Node leader = partition.leader();
                        if (leader == null || leader.isEmpty() || leader.id() < 0) {
                            leaderless = description.name() + "-" + partition.partition();
                        }
                        specs.put(new TopicPartition(description.name(), partition.partition()), OffsetSpec.latest());
                    }
                }
                if (leaderless == null) {
                    admin.listOffsets(specs).all().get(remainingMs(deadline), TimeUnit.MILLISECONDS);
                    return;
                }
                last = "partition " + leaderless + " has no leader";
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException)) {
                    throw new IllegalStateException("topics " + names + " are not usable: " + e.getCause(), e.getCause());
                }
                last = e.getCause();
            } catch (TimeoutException e) {
                last = e;
            } catch (InterruptedException e) {
                throw interrupted(e);
            }
            if (remainingMs(deadline) <= 0) {
                throw new IllegalStateException("topics " + names + " not ready within " + timeout.toMillis()
                        + " ms" + lastError(last));
            }
            sleep();
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
