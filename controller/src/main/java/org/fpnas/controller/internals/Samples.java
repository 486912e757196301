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
 * The sample records of a search: in synchronous iterations the architecture is a pure function of
 * (seed, iteration, index), in the asynchronous schedule of (seed, draw number) and the
 * distribution of the moment.
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

  /**
   * Draw number {@code draw} of a search in the asynchronous schedule, from the distribution of the
   * moment ({@code update}): the architecture is a pure function of (seed, draw, distribution).
   */
  public static ArchitectureSample drawn(
      SearchSpec spec,
      FpNas fpNas,
      Distribution distribution,
      DistributionUpdate update,
      int draw,
      long nowMs) {
    Architecture a = fpNas.drawn(distribution, draw);
    return ArchitectureSample.newBuilder()
        .setSampleId(SampleIds.of(spec.getSearchId(), update.getIteration(), draw))
        .setSearchId(spec.getSearchId())
        .setTeam(spec.getTeam())
        .setIteration(update.getIteration())
        .setIndex(draw)
        .setSampleCount(update.getSampleCount())
        .setChoices(WireConversions.choices(a))
        .setDistributionVersion(update.getVersion())
        .setAttempt(1)
        .setCreatedAtMs(nowMs)
        .setAsynchronous(true)
        .build();
  }
}
