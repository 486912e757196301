package org.fpnas.controller.history;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.fpnas.schemas.AvroSerde;
import org.fpnas.schemas.SchemaStore;
import org.fpnas.schemas.Topics;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.EvaluationResult;
import org.fpnas.schemas.avro.SearchAdmission;
import org.fpnas.schemas.avro.SearchSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A team's searches as recorded on its topics: the read side of the search lifecycle. */
public final class SearchHistory {
  private static final Logger LOG = LoggerFactory.getLogger(SearchHistory.class);

  private final Map<String, SearchLog> searches;

  private SearchHistory(Map<String, SearchLog> searches) {
    this.searches = searches;
  }

  /** Reads the team's searches, distributions, admissions and (optionally) evaluations up to their current end. */
  public static SearchHistory read(String bootstrapServers, SchemaStore schemas, String team,
      boolean withEvaluations, Map<String, String> clientSettings) {
    Topics topics = Topics.forTeam(team);
    AvroSerde<SearchSpec> specSerde = new AvroSerde<>(schemas, SearchSpec.class);
    AvroSerde<DistributionUpdate> updateSerde = new AvroSerde<>(schemas, DistributionUpdate.class);
    AvroSerde<EvaluationResult> resultSerde = new AvroSerde<>(schemas, EvaluationResult.class);
    AvroSerde<SearchAdmission> admissionSerde = new AvroSerde<>(schemas, SearchAdmission.class);
    Map<String, SearchAdmission> admissions = new HashMap<>();
    Map<String, SearchSpec> specs = new LinkedHashMap<>();
    Map<String, Map<Long, DistributionUpdate>> updates = new HashMap<>();
    Map<String, List<EvaluationResult>> results = new HashMap<>();
    Duration timeout = Duration.ofSeconds(60);
    try (TopicReader reader = new TopicReader(bootstrapServers, clientSettings)) {
      List<String> names = new ArrayList<>(List.of(topics.searches(), topics.distributions()));
      if (withEvaluations) {
        names.add(topics.evaluations());
      }
      if (reader.exists(topics.admissions(), timeout)) {
        names.add(topics.admissions()); // missing for a team whose topics an older fpnas created
      }
      for (ConsumerRecord<String, byte[]> r : reader.snapshot(names, timeout)) {
        try {
          if (r.topic().equals(topics.searches())) {
            SearchSpec s = specSerde.deserialize(r.topic(), r.value());
            if (s != null) {
              specs.put(s.getSearchId(), s);
            }
          } else if (r.topic().equals(topics.distributions())) {
            DistributionUpdate u = updateSerde.deserialize(r.topic(), r.value());
            updates.computeIfAbsent(u.getSearchId(), k -> new HashMap<>()).putIfAbsent(u.getVersion(), u);
          } else if (r.topic().equals(topics.admissions())) {
            SearchAdmission a = admissionSerde.deserialize(r.topic(), r.value());
            if (a != null) {
              admissions.put(a.getSearchId(), a); // the latest one counts
            }
          } else {
            EvaluationResult e = resultSerde.deserialize(r.topic(), r.value());
            results.computeIfAbsent(e.getSearchId(), k -> new ArrayList<>()).add(e);
          }
        } catch (RuntimeException e) {
          LOG.warn("skipping unreadable record {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
        }
      }
    }
    Map<String, SearchLog> logs = new LinkedHashMap<>();
    specs.forEach((id, spec) -> {
      List<DistributionUpdate> ordered = new ArrayList<>(updates.getOrDefault(id, Map.of()).values());
      ordered.sort(Comparator.comparingLong(DistributionUpdate::getVersion));
      logs.put(id, new SearchLog(spec, ordered, results.getOrDefault(id, List.of()), admissions.get(id)));
    });
    return new SearchHistory(logs);
  }

  public List<SearchLog> searches() {
    return List.copyOf(searches.values());
  }

  public Optional<SearchLog> search(String searchId) {
    return Optional.ofNullable(searches.get(searchId));
  }
}
