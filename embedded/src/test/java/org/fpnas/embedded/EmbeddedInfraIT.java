package org.fpnas.embedded;

import static org.fpnas.embedded.RegistryHttp.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The default one-machine infrastructure (child-process broker) resumes on its data dir. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmbeddedInfraIT {

  @TempDir Path dir;

  @Test
  void restartOnTheSameDataDirKeepsAddressesTopicsAndSchemaIds() throws Exception {
    String bootstrap;
    String url;
    int id;
    try (EmbeddedInfra infra = new EmbeddedInfra(dir).start()) {
      assertTrue(infra.broker().pid() > 0, "child process by default");
      bootstrap = infra.bootstrapServers();
      url = infra.schemaRegistryUrl();
      KafkaBrokerIT.createTopic(bootstrap, "resumed");
      KafkaBrokerIT.produce(bootstrap, "resumed", "k", "v");
      id =
          new RegistryHttp(url)
              .postSchema("/subjects/resumed-value/versions", record("R"))
              .body()
              .get("id")
              .asInt();
    }
    EmbeddedInfra restarted = new EmbeddedInfra(dir).start();
    try {
      assertEquals(bootstrap, restarted.bootstrapServers());
      assertEquals(url, restarted.schemaRegistryUrl());
      assertEquals(List.of("v"), KafkaBrokerIT.consume(bootstrap, "resumed", 1));
      assertEquals(
          id,
          new RegistryHttp(url)
              .get("/subjects/resumed-value/versions/latest")
              .body()
              .get("id")
              .asInt());
    } finally {
      restarted.close();
    }
    assertFalse(restarted.toString().contains("localhost"), "closed: " + restarted);
  }
}
