package org.fpnas.client.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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

  /** Searches ended, oldest end first, whose whole records are still kept. */
  private final LinkedHashSet<String> ended = new LinkedHashSet<>();

  /** Summaries of the searches whose records were let go ({@link #retire}). */
  private final Map<String, SearchLog> retired = new HashMap<>();

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
        if (s == null || retired.containsKey(s.getSearchId())) {
          return null; // the aggregator, too, takes no spec for a search that ended
        }
        specs.put(s.getSearchId(), s);
        return s.getSearchId();
      } else if (r.topic().equals(topics.distributions())) {
        DistributionUpdate u = updateSerde.deserialize(r.topic(), r.value());
        if (retired.containsKey(u.getSearchId())) {
          return null; // a copy of what the summary has; the topics keep it
        }
        updates
            .computeIfAbsent(u.getSearchId(), k -> new HashMap<>())
            .putIfAbsent(Published.of(u), u);
        if (u.getDone()) {
          ended.add(u.getSearchId());
        }
        return u.getSearchId();
      } else if (r.topic().equals(topics.admissions())) {
        SearchAdmission a = admissionSerde.deserialize(r.topic(), r.value());
        if (a == null || retired.containsKey(a.getSearchId())) {
          return null;
        }
        admissions.put(a.getSearchId(), a); // the latest one counts
        return a.getSearchId();
      } else {
        EvaluationResult e = resultSerde.deserialize(r.topic(), r.value());
        if (retired.containsKey(e.getSearchId())) {
          return null; // late, after the search ended long ago; the topics keep it
        }
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

  /**
   * Lets go of the records of the searches that ended longest ago, beyond the {@code keep} ended
   * last, keeping a summary of each ({@link SearchLog#summaryOf}); returns the searches let go.
   */
  List<String> retire(int keep) {
    List<String> out = new ArrayList<>();
    int excess = ended.size() - keep;
    Iterator<String> oldest = ended.iterator();
    while (excess > 0 && oldest.hasNext()) {
      String id = oldest.next();
      SearchLog whole = log(id);
      if (whole == null) {
        continue; // its spec is on another topic and not read yet: it goes once it is
      }
      oldest.remove();
      excess--;
      retired.put(id, SearchLog.summaryOf(whole));
      specs.remove(id);
      updates.remove(id);
      results.remove(id);
      admissions.remove(id);
      out.add(id);
    }
    return out;
  }

  /** Whether the search's records were let go, a summary kept. */
  boolean isRetired(String searchId) {
    return retired.containsKey(searchId);
  }

  /** The log of one search as folded so far, or null if its spec has not been read. */
  SearchLog log(String searchId) {
    SearchSpec spec = specs.get(searchId);
    if (spec == null) {
      return retired.get(searchId);
    }
    List<DistributionUpdate> ordered =
        new ArrayList<>(updates.getOrDefault(searchId, Map.of()).values());
    ordered.sort(Published.ORDER);
    return new SearchLog(
        spec, ordered, results.getOrDefault(searchId, List.of()), admissions.get(searchId));
  }

  /** Every search with a spec, in the order the specs were read; summaries first. */
  Map<String, SearchLog> logs() {
    Map<String, SearchLog> out = new LinkedHashMap<>(retired);
    specs.keySet().forEach(id -> out.put(id, log(id)));
    return out;
  }
}
