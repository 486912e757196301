package org.fpnas.client.wire;

import java.util.List;
import org.fpnas.core.Distribution;
import org.fpnas.core.Phase;
import org.fpnas.core.SearchState;
import org.fpnas.core.StopReason;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.SearchSpace;
import org.fpnas.schemas.WireLists;
import org.fpnas.schemas.avro.DistributionPhase;
import org.fpnas.schemas.avro.DistributionUpdate;

/** Exact conversions between the core's values and the wire records: doubles pass bit for bit. */
public final class WireConversions {
  private WireConversions() {}

  public static Architecture architecture(List<List<Integer>> choices) {
    return Architecture.of(WireLists.ints(choices));
  }

  public static List<List<Integer>> choices(Architecture a) {
    return WireLists.ofInts(a.choices());
  }

  public static double[][] matrix(List<List<Double>> rows) {
    return WireLists.doubles(rows);
  }

  public static List<List<Double>> rows(double[][] m) {
    return WireLists.ofDoubles(m);
  }

  public static Phase phase(DistributionPhase p) {
    return p == DistributionPhase.JOINT ? Phase.JOINT : Phase.FACTORIZED;
  }

  public static DistributionPhase phase(Phase p) {
    return p == Phase.JOINT ? DistributionPhase.JOINT : DistributionPhase.FACTORIZED;
  }

  public static Distribution distribution(SearchSpace space, DistributionUpdate u) {
    return Distribution.of(space, phase(u.getPhase()), matrix(u.getLogits()), u.getVersion());
  }

  /** The core state that an update describes, exactly. */
  public static SearchState state(SearchSpace space, DistributionUpdate u) {
    return SearchState.restore(
        distribution(space, u),
        matrix(u.getAdamFirstMoment()),
        matrix(u.getAdamSecondMoment()),
        u.getAdamStep(),
        u.getIteration(),
        u.getSampleCount(),
        u.getModeStableIterations(),
        u.getDone(),
        StopReason.fromWire(u.getStopReason()));
  }

  /**
   * The wire record of a state; statistics of the update that produced it are set by the caller.
   * The mode on the wire is the search's answer ({@link org.fpnas.core.FpNas#answer}): within a
   * known-cost target when there is one.
   */
  public static DistributionUpdate.Builder update(
      String searchId, String team, SearchState s, org.fpnas.core.FpNas fpNas, long nowMs) {
    Distribution d = s.distribution();
    Architecture mode = fpNas.answer(d);
    return DistributionUpdate.newBuilder()
        .setSearchId(searchId)
        .setTeam(team)
        .setIteration(s.iteration())
        .setVersion(d.version())
        .setPhase(phase(d.phase()))
        .setLogits(rows(d.logits()))
        .setAdamFirstMoment(rows(s.firstMoment()))
        .setAdamSecondMoment(rows(s.secondMoment()))
        .setAdamStep(s.adamStep())
        .setEntropy(d.entropy())
        .setSampleCount(s.sampleCount())
        .setMode(choices(mode))
        .setModeProbability(d.probability(mode))
        .setModeStableIterations(s.modeStableIterations())
        .setDone(s.done())
        .setStopReason(StopReason.toWire(s.stopReason()))
        .setCreatedAtMs(nowMs);
  }
}
