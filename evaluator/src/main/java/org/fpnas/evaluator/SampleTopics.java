package org.fpnas.evaluator;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.fpnas.schemas.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The samples topics a share-group pool serves: every team's (or those of the teams given), less
 * those that members of the classic group hold ({@link OtherPools}), listed at most every {@link
 * #REFRESH}. A share consumer subscribes to topic names, not to a pattern, so a new team's topic is
 * found here, as the classic consumer finds it on its metadata refresh.
 */
final class SampleTopics implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SampleTopics.class);
  static final Duration REFRESH = Duration.ofSeconds(3);

  private final Admin admin;
  private final LongSupplier nanoTime;

  /** The teams served; empty: every team. */
  private final Set<String> teams;

  private Set<String> topics = Set.of();
  private Map<String, Set<String>> leftToClassic = Map.of();
  private long listedAt;
  private boolean listed;

  SampleTopics(
      String bootstrapServers,
      Map<String, String> clientSettings,
      Set<String> teams,
      LongSupplier nanoTime) {
    this.teams = Set.copyOf(teams);
    Properties p = new Properties();
    p.putAll(clientSettings);
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    this.admin = Admin.create(p);
    this.nanoTime = nanoTime;
  }

  /** The samples topics now; on a failed listing, the last ones known. */
  synchronized Set<String> current() {
    long now = nanoTime.getAsLong();
    if (listed && now - listedAt < REFRESH.toNanos()) {
      return topics;
    }
    listedAt = now;
    try {
      Map<String, Set<String>> classic = OtherPools.classicHolders(admin, REFRESH);
      Set<String> found = new TreeSet<>();
      for (String name :
          admin.listTopics().names().get(REFRESH.toMillis(), TimeUnit.MILLISECONDS)) {
        if (Topics.SAMPLES_PATTERN.matcher(name).matches()
            && (teams.isEmpty() || teams.contains(Topics.teamOf(name)))
            && !classic.containsKey(name)) {
          found.add(name);
        }
      }
      classic.keySet().retainAll(served(classic.keySet()));
      if (!classic.keySet().equals(leftToClassic.keySet())) {
        if (classic.isEmpty()) {
          LOG.info("no samples topic is held by the classic group any more; serving {}", found);
        } else {
          LOG.warn(
              "samples topics held by members of the classic group {} are left to them, so that no"
                  + " sample is evaluated by both groups: {}",
              Topics.EVALUATORS_GROUP,
              classic);
        }
      }
      leftToClassic = Map.copyOf(classic);
      topics = Set.copyOf(found);
      listed = true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("cannot list the samples topics ({}); keeping {}", e.toString(), topics);
    }
    return topics;
  }

  private Set<String> served(Set<String> names) {
    Set<String> served = new TreeSet<>();
    for (String name : names) {
      if (teams.isEmpty() || teams.contains(Topics.teamOf(name))) {
        served.add(name);
      }
    }
    return served;
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }
}
