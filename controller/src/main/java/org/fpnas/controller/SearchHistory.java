package org.fpnas.controller;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.fpnas.schemas.SchemaStore;
import org.fpnas.schemas.Topics;

/** A team's searches as recorded on its topics: the read side of the search lifecycle. */
public final class SearchHistory {
  private final Map<String, SearchLog> searches;

  private SearchHistory(Map<String, SearchLog> searches) {
    this.searches = searches;
  }

  /** Reads the team's searches, distributions, admissions and (optionally) evaluations up to their current end. */
  public static SearchHistory read(String bootstrapServers, SchemaStore schemas, String team,
      boolean withEvaluations, Map<String, String> clientSettings) {
    SearchRecords records = new SearchRecords(schemas, team);
    Duration timeout = Duration.ofSeconds(60);
    try (TopicReader reader = new TopicReader(bootstrapServers, clientSettings)) {
      for (ConsumerRecord<String, byte[]> r : reader.snapshot(topics(reader, records.topics(), withEvaluations), timeout)) {
        records.add(r);
      }
    }
    return new SearchHistory(records.logs());
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

  public List<SearchLog> searches() {
    return List.copyOf(searches.values());
  }

  public Optional<SearchLog> search(String searchId) {
    return Optional.ofNullable(searches.get(searchId));
  }
}
