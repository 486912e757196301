package org.fpnas.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.FeatureMetadata;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.common.config.ConfigResource;

/**
 * The broker feature and the group configs a share group of evaluators needs (KIP-932). Group
 * configs live on the broker, not in the consumer, so they are set with the Admin client.
 */
public final class ShareGroups {
  /** The broker feature that switches share groups on; level 1 or more. */
  public static final String FEATURE = "share.version";

  public static final String ISOLATION_LEVEL = "share.isolation.level";
  public static final String AUTO_OFFSET_RESET = "share.auto.offset.reset";
  public static final String LOCK_DURATION_MS = "share.record.lock.duration.ms";
  public static final String DELIVERY_COUNT_LIMIT = "share.delivery.count.limit";

  /**
   * Samples are published in transactions, so an aborted iteration must not be evaluated; and the
   * group's default {@code latest} would skip every sample published before its first fetch.
   */
  public static final Map<String, String> REQUIRED =
      Map.of(ISOLATION_LEVEL, "read_committed", AUTO_OFFSET_RESET, "earliest");

  private ShareGroups() {}

  /**
   * Throws {@link IllegalStateException} naming the fix when the cluster has share groups switched
   * off.
   */
  public static void requireEnabled(Admin admin, Duration timeout) {
    FeatureMetadata features =
        get(admin.describeFeatures().featureMetadata(), timeout, "describe the broker features");
    FinalizedVersionRange share = features.finalizedFeatures().get(FEATURE);
    if (share == null || share.maxVersionLevel() < 1) {
      throw new IllegalStateException(
          "share groups are off on this cluster (feature "
              + FEATURE
              + " is "
              + (share == null ? "not finalized" : share.maxVersionLevel())
              + "); enable them with "
              + "`kafka-features.sh --bootstrap-server ... upgrade --feature "
              + FEATURE
              + "=1`");
    }
  }

  /**
   * Sets {@link #REQUIRED} and the given extra configs (lock duration, delivery limit) on the
   * group, leaving its other configs as they are. Idempotent.
   */
  public static void configure(
      Admin admin, String group, Map<String, String> extra, Duration timeout) {
    Map<String, String> configs = new LinkedHashMap<>(REQUIRED);
    configs.putAll(extra);
    List<AlterConfigOp> ops = new ArrayList<>();
    configs.forEach(
        (k, v) -> ops.add(new AlterConfigOp(new ConfigEntry(k, v), AlterConfigOp.OpType.SET)));
    ConfigResource resource = new ConfigResource(ConfigResource.Type.GROUP, group);
    get(
        admin.incrementalAlterConfigs(Map.of(resource, ops)).all(),
        timeout,
        "set the configs " + configs + " of share group " + group);
  }

  /** The group's current value of one config, null when the broker has none for it. */
  public static String config(Admin admin, String group, String name, Duration timeout) {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.GROUP, group);
    ConfigEntry entry =
        get(
                admin.describeConfigs(List.of(resource)).all(),
                timeout,
                "describe share group " + group)
            .get(resource)
            .get(name);
    return entry == null ? null : entry.value();
  }

  /**
   * The future's value; an {@link IllegalStateException} saying what could not be done otherwise,
   * with the broker's error as its cause.
   */
  static <T> T get(org.apache.kafka.common.KafkaFuture<T> future, Duration timeout, String what) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while trying to " + what, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot " + what + ": " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "cannot " + what + " within " + timeout.toMillis() + " ms", e);
    }
  }
}
