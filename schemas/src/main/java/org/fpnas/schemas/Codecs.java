package org.fpnas.schemas;

import org.fpnas.schemas.avro.ArchitectureSample;
import org.fpnas.schemas.avro.DeadLetter;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.EvaluationResult;
import org.fpnas.schemas.avro.SearchAdmission;
import org.fpnas.schemas.avro.SearchSpec;

/** The wire serdes of the contract, all bound to one schema store. */
public record Codecs(
    AvroSerde<SearchSpec> specs,
    AvroSerde<ArchitectureSample> samples,
    AvroSerde<EvaluationResult> results,
    AvroSerde<DistributionUpdate> updates,
    AvroSerde<DeadLetter> deadLetters,
    AvroSerde<SearchAdmission> admissions) {

  public static Codecs of(SchemaStore store) {
    return new Codecs(
        new AvroSerde<>(store, SearchSpec.class),
        new AvroSerde<>(store, ArchitectureSample.class),
        new AvroSerde<>(store, EvaluationResult.class),
        new AvroSerde<>(store, DistributionUpdate.class),
        new AvroSerde<>(store, DeadLetter.class),
        new AvroSerde<>(store, SearchAdmission.class));
  }
}
