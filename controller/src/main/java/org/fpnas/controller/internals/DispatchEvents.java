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

  public static byte[] sample(ArchitectureSample s, byte[] payload) {
    return encode(
        of(DispatchKind.SAMPLE, s.getTeam(), s.getSearchId())
            .setSampleId(s.getSampleId())
            .setIteration(s.getIteration())
            .setPayload(ByteBuffer.wrap(payload)));
  }

  public static byte[] redispatch(ArchitectureSample s, byte[] payload) {
    return encode(
        of(DispatchKind.REDISPATCH, s.getTeam(), s.getSearchId())
            .setSampleId(s.getSampleId())
            .setIteration(s.getIteration())
            .setPayload(ByteBuffer.wrap(payload)));
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
