package org.fpnas.controller.internals;

import org.fpnas.client.wire.WireConversions;
import org.fpnas.core.Distribution;
import org.fpnas.core.FpNas;
import org.fpnas.core.space.Architecture;
import org.fpnas.schemas.SampleIds;
import org.fpnas.schemas.avro.ArchitectureSample;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.SearchSpec;

/**
 * The sample records of an iteration: the architecture is a pure function of (seed, iteration,
 * index).
 */
public final class Samples {
  private Samples() {}

  public static ArchitectureSample of(
      SearchSpec spec,
      FpNas fpNas,
      Distribution distribution,
      DistributionUpdate update,
      int index,
      int attempt,
      long nowMs) {
    Architecture a = fpNas.sample(distribution, update.getIteration(), index);
    return ArchitectureSample.newBuilder()
        .setSampleId(SampleIds.of(spec.getSearchId(), update.getIteration(), index))
        .setSearchId(spec.getSearchId())
        .setTeam(spec.getTeam())
        .setIteration(update.getIteration())
        .setIndex(index)
        .setSampleCount(update.getSampleCount())
        .setChoices(WireConversions.choices(a))
        .setDistributionVersion(update.getVersion())
        .setAttempt(attempt)
        .setCreatedAtMs(nowMs)
        .build();
  }
}
