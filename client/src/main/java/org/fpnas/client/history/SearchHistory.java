package org.fpnas.client.history;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.fpnas.cluster.TopicReader;
import org.fpnas.schemas.SchemaStore;
import org.fpnas.schemas.SearchPartitions;
import org.fpnas.schemas.Topics;

/** A team's searches as recorded on its topics: the read side of the search lifecycle. */
public final class SearchHistory {
  private final Map<String, SearchLog> searches;

  private SearchHistory(Map<String, SearchLog> searches) {
    this.searches = searches;
  }

  /**
   * Reads the team's searches, distributions, admissions and (optionally) evaluations up to their
   * current end.
   */
  public static SearchHistory read(
      String bootstrapServers,
      SchemaStore schemas,
      String team,
      boolean withEvaluations,
      Map<String, String> clientSettings) {
    return new SearchHistory(
        fold(bootstrapServers, schemas, team, withEvaluations, clientSettings, key -> true).logs());
  }

  /**
   * One search's whole log, read from its team's topics (only its own records are decoded); empty
   * when the topics have no spec of it.
   */
  public static Optional<SearchLog> readOne(
      String bootstrapServers,
      SchemaStore schemas,
      String team,
      String searchId,
      Map<String, String> clientSettings) {
    return Optional.ofNullable(
        fold(bootstrapServers, schemas, team, true, clientSettings, searchId::equals)
            .log(searchId));
  }

  /**
   * The team's records up to their current end folded in, those whose key {@code keys} takes; a
   * result on another partition than its search's is skipped, as the aggregator skips it.
   */
  private static SearchRecords fold(
      String bootstrapServers,
      SchemaStore schemas,
      String team,
      boolean withEvaluations,
      Map<String, String> clientSettings,
      Predicate<String> keys) {
    SearchRecords records = new SearchRecords(schemas, team);
    Duration timeout = Duration.ofSeconds(60);
    try (TopicReader reader = new TopicReader(bootstrapServers, clientSettings)) {
      Topics topics = records.topics();
      int evaluationPartitions =
          withEvaluations ? reader.partitionCount(topics.evaluations(), timeout) : 0;
      List<String> names = topics(reader, topics, withEvaluations);
      reader.assignFromBeginning(names, timeout);
      boolean read =
          reader.readToEnd(
              r -> {
                if (keys.test(r.key())
                    && !(r.topic().equals(topics.evaluations())
                        && misplaced(r, evaluationPartitions))) {
                  records.add(r);
                }
              },
              timeout);
      if (!read) {
        throw new IllegalStateException("timed out after " + timeout + " reading " + names);
      }
    }
    return records;
  }

  /** A history of logs already folded (by a live follower). */
  static SearchHistory of(Map<String, SearchLog> logs) {
    return new SearchHistory(logs);
  }

  /** The team's topics that a history reads. */
  static List<String> topics(TopicReader reader, Topics topics, boolean withEvaluations) {
    List<String> names = new ArrayList<>(List.of(topics.searches(), topics.distributions()));
    if (withEvaluations) {
      names.add(topics.evaluations());
    }
    if (reader.exists(topics.admissions(), Duration.ofSeconds(60))) {
      names.add(topics.admissions()); // missing for a team whose topics an older fpnas created
    }
    return names;
  }

  /**
   * A result that a client put on another partition than its search's: the aggregator never used it
   * there (it forwarded a copy, which is on the search's partition, in the order the aggregator
   * read it), so neither does the history; with it, replay could take another of two different
   * results of one sample as the first.
   */
  static boolean misplaced(ConsumerRecord<String, byte[]> r, int partitions) {
    return r.key() != null
        && partitions > 0
        && r.partition() != SearchPartitions.of(r.key(), partitions);
  }

  public List<SearchLog> searches() {
    return List.copyOf(searches.values());
  }

  public Optional<SearchLog> search(String searchId) {
    return Optional.ofNullable(searches.get(searchId));
  }
}
