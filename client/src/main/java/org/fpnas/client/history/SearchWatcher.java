package org.fpnas.client.history;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.fpnas.cluster.TopicReader;
import org.fpnas.schemas.AvroSerde;
import org.fpnas.schemas.SchemaStore;
import org.fpnas.schemas.Topics;
import org.fpnas.schemas.avro.DistributionUpdate;

/** Follows one search's distributions as they are published, until its final update. */
public final class SearchWatcher {
  private SearchWatcher() {}

  /**
   * Hands every distribution of the search to the listener, once each and in order, from the first
   * one on; returns the final update. Throws IllegalStateException after the timeout.
   */
  public static DistributionUpdate follow(
      String bootstrapServers,
      SchemaStore schemas,
      String team,
      String searchId,
      Map<String, String> clientSettings,
      Consumer<DistributionUpdate> listener,
      Duration timeout) {
    String topic = Topics.forTeam(team).distributions();
    AvroSerde<DistributionUpdate> serde = new AvroSerde<>(schemas, DistributionUpdate.class);
    AtomicReference<DistributionUpdate> last = new AtomicReference<>();
    Set<Published> seen = new HashSet<>();
    try (TopicReader reader = new TopicReader(bootstrapServers, clientSettings)) {
      reader.follow(
          List.of(topic),
          r -> {
            if (!searchId.equals(r.key())) {
              return;
            }
            DistributionUpdate u = serde.deserialize(r.topic(), r.value());
            if (seen.add(Published.of(u))) {
              last.set(u);
              listener.accept(u);
            }
          },
          r -> last.get() != null && last.get().getDone(),
          timeout);
    }
    return last.get();
  }
}
