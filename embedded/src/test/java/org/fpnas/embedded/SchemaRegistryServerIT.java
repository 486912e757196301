package org.fpnas.embedded;

import static org.fpnas.embedded.RegistryHttp.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.fpnas.embedded.RegistryHttp.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The registry on a real broker: the API's answers, and ids that survive a registry restart. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SchemaRegistryServerIT {

  private static final String V1 = record("Sample");
  private static final String V2 =
      record("Sample", "{\"name\":\"n\",\"type\":\"int\",\"default\":0}");
  private static final String V2_NO_DEFAULT = record("Sample", "{\"name\":\"n\",\"type\":\"int\"}");

  @TempDir static Path dir;
  private static KafkaBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = KafkaBroker.inProcess(dir).start();
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void registersLooksUpAndListsSchemas() {
    try (SchemaRegistryServer registry =
        new SchemaRegistryServer(broker.bootstrapServers()).topic("_schemas_api").start()) {
      RegistryHttp http = new RegistryHttp(registry.url());
      int id =
          http.postSchema("/subjects/fpnas.default.samples-value/versions", V1)
              .body()
              .get("id")
              .asInt();
      assertEquals(
          id,
          http.postSchema("/subjects/fpnas.default.samples-value/versions", V1)
              .body()
              .get("id")
              .asInt(),
          "idempotent");
      int id2 =
          http.postSchema("/subjects/fpnas.default.samples-value/versions", V2)
              .body()
              .get("id")
              .asInt();
      assertEquals(id + 1, id2);

      assertEquals(V1, http.get("/schemas/ids/" + id).body().get("schema").asText());
      Reply latest = http.get("/subjects/fpnas.default.samples-value/versions/latest");
      assertEquals(2, latest.body().get("version").asInt());
      assertEquals(id2, latest.body().get("id").asInt());
      assertEquals(V2, latest.body().get("schema").asText());
      assertEquals(
          "[1,2]", http.get("/subjects/fpnas.default.samples-value/versions").body().toString());
      assertEquals("[\"fpnas.default.samples-value\"]", http.get("/subjects").body().toString());
      assertEquals(
          1,
          http.postSchema("/subjects/fpnas.default.samples-value", V1)
              .body()
              .get("version")
              .asInt());
    }
  }

  @Test
  void refusesIncompatibleAndInvalidSchemasWithTheApiCodes() {
    try (SchemaRegistryServer registry =
        new SchemaRegistryServer(broker.bootstrapServers()).topic("_schemas_errors").start()) {
      RegistryHttp http = new RegistryHttp(registry.url());
      http.postSchema("/subjects/s-value/versions", V1);

      Reply incompatible = http.postSchema("/subjects/s-value/versions", V2_NO_DEFAULT);
      assertEquals(409, incompatible.status());
      assertEquals(409, incompatible.errorCode());
      Reply invalid =
          http.postSchema("/subjects/s-value/versions", "{\"type\":\"record\",\"fields\":[]}");
      assertEquals(422, invalid.status());
      assertEquals(42201, invalid.errorCode());
      Reply unknownSubject = http.get("/subjects/missing-value/versions/latest");
      assertEquals(404, unknownSubject.status());
      assertEquals(40401, unknownSubject.errorCode());
      assertEquals(
          "Subject 'missing-value' not found.", unknownSubject.body().get("message").asText());
      Reply unknownId = http.get("/schemas/ids/4242");
      assertEquals(404, unknownId.status());
      assertEquals(40403, unknownId.errorCode());
      assertEquals(
          "[1]",
          http.get("/subjects/s-value/versions").body().toString(),
          "nothing refused was kept");
    }
  }

  @Test
  void configIsReadAndWritten() {
    try (SchemaRegistryServer registry =
        new SchemaRegistryServer(broker.bootstrapServers()).topic("_schemas_config").start()) {
      RegistryHttp http = new RegistryHttp(registry.url());
      assertEquals("BACKWARD", http.get("/config").body().get("compatibilityLevel").asText());
      assertEquals(
          "FULL_TRANSITIVE",
          http.put("/config/s-value", "{\"compatibility\":\"FULL_TRANSITIVE\"}")
              .body()
              .get("compatibility")
              .asText());
      assertEquals(
          "FULL_TRANSITIVE", http.get("/config/s-value").body().get("compatibilityLevel").asText());
      assertEquals(
          "BACKWARD", http.get("/config/other-value").body().get("compatibilityLevel").asText());
    }
  }

  @Test
  void idsSchemasAndConfigSurviveARegistryRestartAndNumberingContinues() throws Exception {
    int first;
    int second;
    try (SchemaRegistryServer registry =
        new SchemaRegistryServer(broker.bootstrapServers()).start()) {
      RegistryHttp http = new RegistryHttp(registry.url());
      first = http.postSchema("/subjects/a-value/versions", V1).body().get("id").asInt();
      second = http.postSchema("/subjects/a-value/versions", V2).body().get("id").asInt();
      http.put("/config/a-value", "{\"compatibility\":\"NONE\"}");
    }
    try (SchemaRegistryServer restarted =
        new SchemaRegistryServer(broker.bootstrapServers()).start()) {
      RegistryHttp http = new RegistryHttp(restarted.url());
      assertEquals(V1, http.get("/schemas/ids/" + first).body().get("schema").asText());
      assertEquals(V2, http.get("/schemas/ids/" + second).body().get("schema").asText());
      assertEquals(second, http.get("/subjects/a-value/versions/latest").body().get("id").asInt());
      assertEquals(
          first,
          http.postSchema("/subjects/a-value/versions", V1).body().get("id").asInt(),
          "same schema, same id after restart");
      assertEquals("NONE", http.get("/config/a-value").body().get("compatibilityLevel").asText());
      int third =
          http.postSchema("/subjects/b-value/versions", record("Other")).body().get("id").asInt();
      assertEquals(Math.max(first, second) + 1, third, "numbering continues after the highest id");
    }
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "_schemas");
      String policy =
          admin
              .describeConfigs(List.of(topic))
              .all()
              .get(10, TimeUnit.SECONDS)
              .get(topic)
              .get("cleanup.policy")
              .value();
      assertTrue(policy.contains("compact"), policy);
    }
  }
}
