package org.fpnas.controller.internals;

import java.nio.ByteBuffer;
import org.fpnas.schemas.PlainAvroSerde;
import org.fpnas.schemas.avro.ArchitectureSample;
import org.fpnas.schemas.avro.DispatchEvent;
import org.fpnas.schemas.avro.DispatchKind;
import org.fpnas.schemas.avro.EvaluationResult;

/** The dispatcher's input events, keyed by team, encoded for its repartition topic. */
public final class DispatchEvents {
  private DispatchEvents() {}

  /**
   * The iteration the dispatcher files an asynchronous sample under: the one it starts every search
   * at, so that no later sample of the search frees its slot; only its result, its being given up
   * or its search's end does.
   */
  public static final int NO_ITERATION = -1;

  public static byte[] sample(ArchitectureSample s, byte[] payload) {
    return encode(
        of(DispatchKind.SAMPLE, s.getTeam(), s.getSearchId())
            .setSampleId(s.getSampleId())
            .setIteration(iteration(s))
            .setPayload(ByteBuffer.wrap(payload)));
  }

  public static byte[] redispatch(ArchitectureSample s, byte[] payload) {
    return encode(
        of(DispatchKind.REDISPATCH, s.getTeam(), s.getSearchId())
            .setSampleId(s.getSampleId())
            .setIteration(iteration(s))
            .setPayload(ByteBuffer.wrap(payload)));
  }

  /** An asynchronous sample given up after its last attempt: its slot is free, as by a result. */
  public static byte[] givenUp(ArchitectureSample s) {
    return encode(
        of(DispatchKind.RESULT, s.getTeam(), s.getSearchId())
            .setSampleId(s.getSampleId())
            .setIteration(NO_ITERATION));
  }

  private static int iteration(ArchitectureSample s) {
    return s.getAsynchronous() ? NO_ITERATION : s.getIteration();
  }

  public static byte[] result(String team, EvaluationResult r) {
    return encode(
        of(DispatchKind.RESULT, team, r.getSearchId())
            .setSampleId(r.getSampleId())
            .setIteration(r.getIteration()));
  }

  public static byte[] ended(String team, String searchId) {
    return encode(of(DispatchKind.SEARCH_ENDED, team, searchId));
  }

  private static DispatchEvent.Builder of(DispatchKind kind, String team, String searchId) {
    return DispatchEvent.newBuilder().setKind(kind).setTeam(team).setSearchId(searchId);
  }

  private static final PlainAvroSerde<DispatchEvent> SERDE =
      new PlainAvroSerde<>(DispatchEvent.class);

  // One serde for every stream thread: Avro's writer keeps per-call state, so calls take turns.
  private static synchronized byte[] encode(DispatchEvent.Builder b) {
    return SERDE.serialize(null, b.build());
  }
}
