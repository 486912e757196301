package org.fpnas.client.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

/**
 * A team's records folded into its searches' logs, one record at a time: what a snapshot of the
 * topics ({@link SearchHistory#read}) and a live follower ({@link LiveHistory}) both build. Not
 * thread-safe.
 */
final class SearchRecords {
  private static final Logger LOG = LoggerFactory.getLogger(SearchRecords.class);

  private final Topics topics;
  private final AvroSerde<SearchSpec> specSerde;
  private final AvroSerde<DistributionUpdate> updateSerde;
  private final AvroSerde<EvaluationResult> resultSerde;
  private final AvroSerde<SearchAdmission> admissionSerde;
  private final Map<String, SearchAdmission> admissions = new HashMap<>();
  private final Map<String, SearchSpec> specs = new LinkedHashMap<>();
  private final Map<String, Map<Published, DistributionUpdate>> updates = new HashMap<>();
  private final Map<String, List<EvaluationResult>> results = new HashMap<>();

  SearchRecords(SchemaStore schemas, String team) {
    this.topics = Topics.forTeam(team);
    this.specSerde = new AvroSerde<>(schemas, SearchSpec.class);
    this.updateSerde = new AvroSerde<>(schemas, DistributionUpdate.class);
    this.resultSerde = new AvroSerde<>(schemas, EvaluationResult.class);
    this.admissionSerde = new AvroSerde<>(schemas, SearchAdmission.class);
  }

  Topics topics() {
    return topics;
  }

  /**
   * Folds one record in; returns the search it changed, or null (unreadable records are logged and
   * skipped).
   */
  String add(ConsumerRecord<String, byte[]> r) {
    try {
      if (r.topic().equals(topics.searches())) {
        SearchSpec s = specSerde.deserialize(r.topic(), r.value());
        if (s == null) {
          return null;
        }
        specs.put(s.getSearchId(), s);
        return s.getSearchId();
      } else if (r.topic().equals(topics.distributions())) {
        DistributionUpdate u = updateSerde.deserialize(r.topic(), r.value());
        updates
            .computeIfAbsent(u.getSearchId(), k -> new HashMap<>())
            .putIfAbsent(Published.of(u), u);
        return u.getSearchId();
      } else if (r.topic().equals(topics.admissions())) {
        SearchAdmission a = admissionSerde.deserialize(r.topic(), r.value());
        if (a == null) {
          return null;
        }
        admissions.put(a.getSearchId(), a); // the latest one counts
        return a.getSearchId();
      } else {
        EvaluationResult e = resultSerde.deserialize(r.topic(), r.value());
        results.computeIfAbsent(e.getSearchId(), k -> new ArrayList<>()).add(e);
        return e.getSearchId();
      }
    } catch (RuntimeException e) {
      LOG.warn(
          "skipping unreadable record {}-{}@{}: {}",
          r.topic(),
          r.partition(),
          r.offset(),
          e.getMessage());
      return null;
    }
  }

  /** The log of one search as folded so far, or null if its spec has not been read. */
  SearchLog log(String searchId) {
    SearchSpec spec = specs.get(searchId);
    if (spec == null) {
      return null;
    }
    List<DistributionUpdate> ordered =
        new ArrayList<>(updates.getOrDefault(searchId, Map.of()).values());
    ordered.sort(Published.ORDER);
    return new SearchLog(
        spec, ordered, results.getOrDefault(searchId, List.of()), admissions.get(searchId));
  }

  /** Every search with a spec, in the order the specs were read. */
  Map<String, SearchLog> logs() {
    Map<String, SearchLog> out = new LinkedHashMap<>();
    specs.keySet().forEach(id -> out.put(id, log(id)));
    return out;
  }
}
