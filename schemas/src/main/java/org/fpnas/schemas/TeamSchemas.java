package org.fpnas.schemas;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.fpnas.schemas.avro.ArchitectureSample;
import org.fpnas.schemas.avro.DeadLetter;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.EvaluationResult;
import org.fpnas.schemas.avro.SearchAdmission;
import org.fpnas.schemas.avro.SearchSpec;

/**
 * The value schema of each of a team's topics, registered when the topics are created, so that a
 * client in any language can look up the latest version of a subject ({@code <topic>-value}, the
 * topic name strategy) before anything was published on it. Keys are plain UTF-8 strings, not Avro.
 */
public final class TeamSchemas {
  private TeamSchemas() {}

  /** Subject to schema, in the order of the pipeline. */
  public static Map<String, Schema> of(String team) {
    Topics topics = Topics.forTeam(team);
    Map<String, Schema> subjects = new LinkedHashMap<>();
    subjects.put(AvroSerde.subject(topics.searches(), false), SearchSpec.getClassSchema());
    subjects.put(AvroSerde.subject(topics.samples(), false), ArchitectureSample.getClassSchema());
    subjects.put(AvroSerde.subject(topics.evaluations(), false), EvaluationResult.getClassSchema());
    subjects.put(
        AvroSerde.subject(topics.distributions(), false), DistributionUpdate.getClassSchema());
    subjects.put(AvroSerde.subject(topics.admissions(), false), SearchAdmission.getClassSchema());
    subjects.put(AvroSerde.subject(topics.dlq(), false), DeadLetter.getClassSchema());
    return subjects;
  }

  /**
   * Registers every schema of the team (idempotent: a subject that has it keeps its version). On a
   * secure registry only the services and the administrator may register; a team's principal may
   * read.
   */
  public static void register(SchemaStore registry, String team) {
    of(team).forEach(registry::register);
  }
}
