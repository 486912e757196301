package org.fpnas.controller.aggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.apache.avro.Schema;
import org.fpnas.controller.Fixtures;
import org.fpnas.controller.internals.PoolPacing;
import org.fpnas.schemas.LocalSchemaStore;
import org.fpnas.schemas.SchemaRegistryException;
import org.fpnas.schemas.SchemaStore;
import org.fpnas.schemas.avro.SearchSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A spec that arrives while the schema registry is down is read again, never dead-lettered. */
class RegistryOutageTest {
  @TempDir Path dir;

  /** A registry that can be taken down: lookups by id then fail as an unreachable one does. */
  private static final class Flaky implements SchemaStore {
    private final LocalSchemaStore store = new LocalSchemaStore();
    boolean down;

    @Override
    public int register(String subject, Schema schema) {
      return store.register(subject, schema);
    }

    @Override
    public Schema schemaById(int id) {
      if (down) {
        throw SchemaRegistryException.unreachable(
            "schema registry cannot be reached", new java.net.ConnectException("refused"));
      }
      return store.schemaById(id);
    }
  }

  @Test
  void aSpecReadDuringAnOutageIsRetriedAndTheSearchStarts() {
    Flaky registry = new Flaky();
    try (AggregatorHarness h =
        new AggregatorHarness(
            dir.resolve("state"),
            Deadlines.DEFAULT,
            PartitionCounts.SINGLE,
            PoolPacing.off(),
            registry)) {
      SearchSpec spec = Fixtures.spec("s1", Map.of("fixedK", "3"));
      registry.down = true;
      // The processor fails the record (in production the stream thread is replaced and reads it
      // again from the last commit); nothing goes to the dead-letter topic.
      assertThrows(RuntimeException.class, () -> h.submit(spec));
      assertTrue(h.deadLetters().isEmpty(), "not the sender's fault");
      assertNull(h.tally("s1"));
      registry.down = false;
      h.submit(spec);
      assertEquals(1, h.updates().size());
      assertEquals(3, h.tally("s1").getSampleCount());
    }
  }
}
