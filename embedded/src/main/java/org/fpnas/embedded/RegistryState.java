package org.fpnas.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's state, rebuilt from and written through a {@link SchemaLog}.
 *
 * <p>The log is the only source of truth: a write appends a record, waits for the acknowledgement
 * and then for its own record to come back through the reader before it answers, so that what a
 * client was told is exactly what a restarted registry rebuilds. Records use Confluent's {@code
 * _schemas} layout (JSON keys {@code {"keytype":"SCHEMA",...}} and {@code
 * {"keytype":"CONFIG",...}}).
 */
final class RegistryState implements SchemaLog.Sink {

  private static final Logger LOG = LoggerFactory.getLogger(RegistryState.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A schema registered under a subject. */
  record Registered(String subject, int version, int id, String schema) {}

  /** A parsed candidate schema and the text that identifies it (Avro's full JSON form). */
  record Candidate(Schema schema, String canonical) {
    static Candidate parse(String text) {
      if (text == null || text.isBlank()) {
        throw RegistryException.invalidSchema("empty schema");
      }
      try {
        Schema schema = new Schema.Parser().parse(text);
        return new Candidate(schema, schema.toString());
      } catch (AvroRuntimeException e) {
        throw RegistryException.invalidSchema(e.getMessage());
      }
    }
  }

  private final SchemaLog log;
  private final Duration writeTimeout;
  private final Object writeLock = new Object();

  // Guarded by this.
  private final Map<Integer, String> textById = new HashMap<>();
  private final Map<Integer, Schema> schemaById = new HashMap<>();
  private final Map<String, Integer> idByText = new HashMap<>();
  private final NavigableMap<String, NavigableMap<Integer, Integer>> subjects = new TreeMap<>();
  private final Map<String, Compatibility> subjectLevels = new HashMap<>();
  private Compatibility globalLevel = Compatibility.BACKWARD;
  private int maxId;
  private long applied;

  RegistryState(SchemaLog log, Duration writeTimeout) {
    this.log = log;
    this.writeTimeout = writeTimeout;
  }

  /** Opens the log and returns once every record already in it has been applied. */
  void start(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    log.open(this, timeout);
    long end = log.endOffset(remaining(deadline));
    try {
      awaitApplied(end, deadline);
    } catch (RegistryException e) {
      throw new IllegalStateException(
          "could not read "
              + log.describe()
              + " to its end (offset "
              + end
              + ") within "
              + timeout.toMillis()
              + " ms",
          e);
    }
  }

  // ---- reading the log -------------------------------------------------------------------------

  @Override
  public synchronized void record(long offset, byte[] key, byte[] value) {
    try {
      apply(key, value);
    } catch (Exception e) {
      // One unreadable record must not stop the registry; it cannot be ours, we write valid ones.
      LOG.warn(
          "skipping unreadable record at offset {} of {}: {}",
          offset,
          log.describe(),
          e.toString());
    }
    applied = Math.max(applied, offset + 1);
    notifyAll();
  }

  @Override
  public synchronized void position(long nextOffset) {
    if (nextOffset > applied) {
      applied = nextOffset;
      notifyAll();
    }
  }

  private void apply(byte[] keyBytes, byte[] valueBytes) throws Exception {
    if (keyBytes == null) {
      return;
    }
    JsonNode key = JSON.readTree(keyBytes);
    String keyType = key.path("keytype").asText();
    if (valueBytes == null) {
      // Tombstones (hard deletes by another registry) are not supported; ids stay known.
      return;
    }
    JsonNode value = JSON.readTree(valueBytes);
    switch (keyType) {
      case "SCHEMA" -> applySchema(value);
      case "CONFIG" -> applyConfig(key, value);
      default -> {
        // NOOP and other key types of other registries carry nothing we keep.
      }
    }
  }

  private void applySchema(JsonNode value) {
    if (value.path("deleted").asBoolean(false)) {
      return;
    }
    String subject = value.get("subject").asText();
    int version = value.get("version").asInt();
    int id = value.get("id").asInt();
    if (!textById.containsKey(id)) {
      // Canonical text, so that a record written by another registry compares equal to ours.
      Schema schema = new Schema.Parser().parse(value.get("schema").asText());
      textById.put(id, schema.toString());
      schemaById.put(id, schema);
    }
    idByText.putIfAbsent(textById.get(id), id);
    subjects.computeIfAbsent(subject, s -> new TreeMap<>()).put(version, id);
    maxId = Math.max(maxId, id);
  }

  private void applyConfig(JsonNode key, JsonNode value) {
    JsonNode subjectNode = key.get("subject");
    Compatibility level =
        Compatibility.parse(value.path("compatibilityLevel").asText(null)).orElse(null);
    if (level == null) {
      return;
    }
    if (subjectNode == null || subjectNode.isNull()) {
      globalLevel = level;
    } else {
      subjectLevels.put(subjectNode.asText(), level);
    }
  }

  // ---- queries ---------------------------------------------------------------------------------

  synchronized List<String> subjects() {
    return new ArrayList<>(subjects.keySet());
  }

  synchronized List<Integer> versions(String subject) {
    return new ArrayList<>(versionsOf(subject).keySet());
  }

  /** A version of a subject; {@code version} -1 means the latest. */
  synchronized Registered version(String subject, int version) {
    NavigableMap<Integer, Integer> versions = versionsOf(subject);
    int v = version == -1 ? versions.lastKey() : version;
    Integer id = versions.get(v);
    if (id == null) {
      throw RegistryException.versionNotFound(version);
    }
    return new Registered(subject, v, id, textById.get(id));
  }

  synchronized String schemaText(int id) {
    String text = textById.get(id);
    if (text == null) {
      throw RegistryException.schemaNotFound(Integer.toString(id));
    }
    return text;
  }

  /** The version of the subject that holds this schema. */
  synchronized Registered lookup(String subject, Candidate candidate) {
    for (Map.Entry<Integer, Integer> entry : versionsOf(subject).entrySet()) {
      if (textById.get(entry.getValue()).equals(candidate.canonical())) {
        return new Registered(subject, entry.getKey(), entry.getValue(), candidate.canonical());
      }
    }
    throw new RegistryException(404, 40403, "Schema not found");
  }

  synchronized Compatibility level(String subject) {
    if (subject != null && subjectLevels.containsKey(subject)) {
      return subjectLevels.get(subject);
    }
    return globalLevel;
  }

  /**
   * Incompatibilities of a candidate with a subject under its level: {@code version} -1 (latest)
   * checks what a registration would check, another version checks against that one only.
   */
  synchronized List<String> incompatibilities(String subject, int version, Candidate candidate) {
    NavigableMap<Integer, Integer> versions = versionsOf(subject);
    Compatibility level = level(subject);
    if (version == -1) {
      return level.check(candidate.schema(), schemasOf(versions));
    }
    Integer id = versions.get(version);
    if (id == null) {
      throw RegistryException.versionNotFound(version);
    }
    return level.checkEach(candidate.schema(), List.of(schemaById.get(id)));
  }

  private NavigableMap<Integer, Integer> versionsOf(String subject) {
    NavigableMap<Integer, Integer> versions = subjects.get(subject);
    if (versions == null || versions.isEmpty()) {
      throw RegistryException.subjectNotFound(subject);
    }
    return versions;
  }

  private List<Schema> schemasOf(NavigableMap<Integer, Integer> versions) {
    List<Schema> result = new ArrayList<>();
    for (int id : versions.values()) {
      result.add(schemaById.get(id));
    }
    return result;
  }

  // ---- writes ----------------------------------------------------------------------------------

  /**
   * Registers a schema under a subject and returns its id: the existing one if the subject already
   * has it, else a new version with the schema's global id (shared by subjects with the same text).
   */
  int register(String subject, Candidate candidate) {
    synchronized (writeLock) {
      long deadline = System.nanoTime() + writeTimeout.toNanos();
      catchUp(deadline);
      int id;
      int version;
      synchronized (this) {
        NavigableMap<Integer, Integer> versions = subjects.get(subject);
        if (versions != null) {
          for (int existing : versions.values()) {
            if (textById.get(existing).equals(candidate.canonical())) {
              return existing;
            }
          }
          List<String> problems = level(subject).check(candidate.schema(), schemasOf(versions));
          if (!problems.isEmpty()) {
            throw RegistryException.incompatible(subject, problems);
          }
        }
        id = idByText.getOrDefault(candidate.canonical(), maxId + 1);
        version = versions == null || versions.isEmpty() ? 1 : versions.lastKey() + 1;
      }
      ObjectNode key =
          JSON.createObjectNode()
              .put("keytype", "SCHEMA")
              .put("subject", subject)
              .put("version", version)
              .put("magic", 1);
      ObjectNode value =
          JSON.createObjectNode()
              .put("subject", subject)
              .put("version", version)
              .put("id", id)
              .put("schema", candidate.canonical())
              .put("deleted", false);
      write(key, value, deadline);
      return id;
    }
  }

  /** Sets the compatibility level of a subject, or the global one when {@code subject} is null. */
  void setLevel(String subject, Compatibility level) {
    synchronized (writeLock) {
      long deadline = System.nanoTime() + writeTimeout.toNanos();
      ObjectNode key = JSON.createObjectNode().put("keytype", "CONFIG");
      if (subject == null) {
        key.putNull("subject");
      } else {
        key.put("subject", subject);
      }
      key.put("magic", 0);
      write(key, JSON.createObjectNode().put("compatibilityLevel", level.name()), deadline);
    }
  }

  /** Applies what other writers (another registry on the same topic) appended before we decide. */
  private void catchUp(long deadline) {
    long end;
    try {
      end = log.endOffset(remaining(deadline));
    } catch (Exception e) {
      throw storeFailure("cannot read the end of " + log.describe(), e);
    }
    awaitApplied(end, deadline);
  }

  private void write(ObjectNode key, ObjectNode value, long deadline) {
    long offset;
    try {
      offset = log.append(bytes(key), bytes(value), remaining(deadline));
    } catch (Exception e) {
      throw storeFailure("cannot write to " + log.describe(), e);
    }
    awaitApplied(offset + 1, deadline);
  }

  private synchronized void awaitApplied(long offset, long deadline) {
    while (applied < offset) {
      long waitMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (waitMs <= 0) {
        throw RegistryException.timeout(
            "records of "
                + log.describe()
                + " up to offset "
                + offset
                + " were not read back in time (read up to "
                + applied
                + ")");
      }
      try {
        wait(waitMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw RegistryException.timeout("interrupted while waiting for " + log.describe());
      }
    }
  }

  private static RegistryException storeFailure(String what, Exception e) {
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    if (e instanceof TimeoutException) {
      return RegistryException.timeout(what);
    }
    Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
    return RegistryException.store(what + ": " + cause, cause);
  }

  private static byte[] bytes(ObjectNode node) {
    return node.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static Duration remaining(long deadline) {
    return Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
  }
}
