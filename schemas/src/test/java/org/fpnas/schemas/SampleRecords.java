package org.fpnas.schemas;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.fpnas.schemas.avro.ArchitectureSample;
import org.fpnas.schemas.avro.DeadLetter;
import org.fpnas.schemas.avro.DistributionPhase;
import org.fpnas.schemas.avro.DistributionUpdate;
import org.fpnas.schemas.avro.EvaluationResult;
import org.fpnas.schemas.avro.ResultStatus;
import org.fpnas.schemas.avro.SearchSpec;

/** One filled-in record of every wire type, for round trips and fixtures. */
final class SampleRecords {
  private SampleRecords() {}

  static SearchSpec searchSpec() {
    return SearchSpec.newBuilder()
        .setSearchId("s-1")
        .setTeam("default")
        .setSpaceName("small")
        .setSpace("{\"layers\":[]}")
        .setHyperparameters(Map.of("seed", "7", "beta", "0.0"))
        .setSeed(7L)
        .setEvaluator("benchmark")
        .setEvaluatorSettings(Map.of("simulatedMs", "0"))
        .setLandscape("{}")
        .setParentSearchId(null)
        .setForkIteration(null)
        .setCancelled(false)
        .setSubmittedAtMs(1_700_000_000_000L)
        .build();
  }

  static ArchitectureSample sample() {
    return ArchitectureSample.newBuilder()
        .setSampleId("s-1/3/2")
        .setSearchId("s-1")
        .setTeam("default")
        .setIteration(3)
        .setIndex(2)
        .setSampleCount(5)
        .setChoices(List.of(List.of(0, 1), List.of(2, 0)))
        .setDistributionVersion(3L)
        .setAttempt(1)
        .setCreatedAtMs(1_700_000_000_001L)
        .build();
  }

  static EvaluationResult result() {
    return EvaluationResult.newBuilder()
        .setSampleId("s-1/3/2")
        .setSearchId("s-1")
        .setIteration(3)
        .setIndex(2)
        .setAttempt(1)
        .setEvaluatorId("eval-a")
        .setStatus(ResultStatus.OK)
        .setLogLikelihood(-12.5)
        .setCost(3.0e6)
        .setMetrics(Map.of("accuracy", 0.91))
        .setDurationMs(42L)
        .setError(null)
        .setFinishedAtMs(1_700_000_000_002L)
        .build();
  }

  static DistributionUpdate update() {
    List<List<Double>> logits = List.of(List.of(0.1, -0.1, 0.0), List.of(1.5, -1.5));
    List<List<Double>> zeros = List.of(List.of(0.0, 0.0, 0.0), List.of(0.0, 0.0));
    return DistributionUpdate.newBuilder()
        .setSearchId("s-1")
        .setTeam("default")
        .setIteration(4)
        .setVersion(4L)
        .setPhase(DistributionPhase.FACTORIZED)
        .setLogits(logits)
        .setAdamFirstMoment(zeros)
        .setAdamSecondMoment(zeros)
        .setAdamStep(4)
        .setEntropy(1.23)
        .setSampleCount(6)
        .setMode(List.of(List.of(0), List.of(0)))
        .setModeProbability(0.4)
        .setModeStableIterations(2)
        .setSamplesUsed(5)
        .setSamplesMissing(0)
        .setUsedSampleIds(List.of("s-1/3/0", "s-1/3/1"))
        .setEffectiveSampleSize(2.5)
        .setExpectedCost(1e6)
        .setMeanLogLikelihood(-20.0)
        .setMaxLogLikelihood(-12.5)
        .setDone(false)
        .setStopReason(null)
        .setCreatedAtMs(1_700_000_000_003L)
        .build();
  }

  static DeadLetter deadLetter() {
    return DeadLetter.newBuilder()
        .setSourceTopic("fpnas.default.evaluations")
        .setSourcePartition(0)
        .setSourceOffset(17L)
        .setKey(ByteBuffer.wrap(new byte[] {1, 2}))
        .setValue(ByteBuffer.wrap(new byte[] {9}))
        .setError("magic byte 0x09")
        .setErrorClass(WireFormatException.class.getName())
        .setService("aggregator")
        .setTimestampMs(1_700_000_000_004L)
        .build();
  }

  static List<SpecificRecord> all() {
    return List.of(searchSpec(), sample(), result(), update(), deadLetter());
  }
}
