package org.fpnas.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.fpnas.schemas.avro.EvaluationResult;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {
  // Nothing listens here: these cases must be rejected before the registry is asked.
  private final AvroSerde<EvaluationResult> serde =
      new AvroSerde<>(new SchemaRegistryClient("http://localhost:1"), EvaluationResult.class);

  @Test
  void tooShortRecordIsRejectedWithItsLength() {
    var e =
        assertThrows(WireFormatException.class, () -> serde.deserialize("t", new byte[] {0, 1}));
    assertTrue(e.getMessage().contains("2 bytes"), e.getMessage());
    assertTrue(e.getMessage().contains("too short"), e.getMessage());
  }

  @Test
  void wrongMagicByteIsNamed() {
    var e =
        assertThrows(
            WireFormatException.class,
            () -> serde.deserialize("t", new byte[] {7, 0, 0, 0, 1, 2, 3}));
    assertTrue(e.getMessage().contains("magic byte 0x07, expected 0x00"), e.getMessage());
  }

  @Test
  void nullStaysNull() {
    assertNull(serde.deserialize("t", null));
    assertNull(serde.serialize("t", null));
  }

  @Test
  void subjectsFollowTheTopicNameStrategy() {
    assertEquals("fpnas.a.samples-value", AvroSerde.subject("fpnas.a.samples", false));
    assertEquals("fpnas.a.samples-key", AvroSerde.subject("fpnas.a.samples", true));
  }

  @Test
  void registryUrlIsChecked() {
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> new SchemaRegistryClient("localhost:8081"));
    assertTrue(e.getMessage().contains("http://"), e.getMessage());
  }
}
