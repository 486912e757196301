package org.fpnas.embedded;

import static org.fpnas.embedded.RegistryHttp.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.fpnas.embedded.RegistryHttp.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The registry's REST API over an in-memory log: shapes, codes and compatibility, no broker. */
class SchemaRegistryServerTest {

  private static final String V1 = record("Sample");
  private static final String V2_WITH_DEFAULT =
      record("Sample", "{\"name\":\"n\",\"type\":\"int\",\"default\":0}");
  private static final String V2_NO_DEFAULT = record("Sample", "{\"name\":\"n\",\"type\":\"int\"}");

  private final InMemorySchemaLog log = new InMemorySchemaLog();
  private SchemaRegistryServer server;
  private RegistryHttp http;

  @BeforeEach
  void start() {
    server = newServer();
    http = new RegistryHttp(server.url());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private SchemaRegistryServer newServer() {
    return new SchemaRegistryServer("memory", topic -> log)
        .startTimeout(Duration.ofSeconds(5))
        .start();
  }

  @Test
  void registersIdempotentlyAndServesEveryReadShape() {
    Reply first = http.postSchema("/subjects/s-value/versions", V1);
    assertEquals(200, first.status());
    assertEquals(RegistryHandler.CONTENT_TYPE, first.contentType());
    int id = first.body().get("id").asInt();
    assertEquals(1, first.body().size(), "only {\"id\":N}");

    // Same schema, different whitespace: same id, no new record.
    int records = log.size();
    assertEquals(
        id,
        http.postSchema("/subjects/s-value/versions", V1.replace(",", " , "))
            .body()
            .get("id")
            .asInt());
    assertEquals(records, log.size());

    assertEquals("[\"s-value\"]", http.get("/subjects").body().toString());
    assertEquals("[1]", http.get("/subjects/s-value/versions").body().toString());
    Reply latest = http.get("/subjects/s-value/versions/latest");
    assertEquals("s-value", latest.body().get("subject").asText());
    assertEquals(1, latest.body().get("version").asInt());
    assertEquals(id, latest.body().get("id").asInt());
    assertEquals(http.get("/subjects/s-value/versions/1").body(), latest.body());
    assertEquals(
        latest.body().get("schema").asText(),
        http.get("/schemas/ids/" + id).body().get("schema").asText());
    assertEquals("Sample", http.get("/schemas/ids/" + id + "/schema").body().get("name").asText());
    assertEquals(
        "Sample", http.get("/subjects/s-value/versions/latest/schema").body().get("name").asText());
    assertEquals("[\"AVRO\"]", http.get("/schemas/types").body().toString());
    assertEquals("{}", http.get("/").body().toString());

    Reply lookup = http.postSchema("/subjects/s-value", V1);
    assertEquals(200, lookup.status());
    assertEquals(id, lookup.body().get("id").asInt());
    assertEquals(1, lookup.body().get("version").asInt());
  }

  @Test
  void sameSchemaUnderAnotherSubjectKeepsItsIdAndNewSchemasGetNewIds() {
    int id = http.postSchema("/subjects/a-value/versions", V1).body().get("id").asInt();
    assertEquals(id, http.postSchema("/subjects/b-value/versions", V1).body().get("id").asInt());
    int next =
        http.postSchema("/subjects/a-value/versions", V2_WITH_DEFAULT).body().get("id").asInt();
    assertEquals(id + 1, next);
    assertEquals("[1,2]", http.get("/subjects/a-value/versions").body().toString());
    assertEquals("[\"a-value\",\"b-value\"]", http.get("/subjects").body().toString());
  }

  @Test
  void backwardByDefaultRefusesAFieldWithoutDefault() {
    http.postSchema("/subjects/s/versions", V1);
    Reply refused = http.postSchema("/subjects/s/versions", V2_NO_DEFAULT);
    assertEquals(409, refused.status());
    assertEquals(409, refused.errorCode());
    assertTrue(
        refused.body().get("message").asText().contains("READER_FIELD_MISSING_DEFAULT_VALUE"),
        refused.body().toString());

    Reply check = http.postSchema("/compatibility/subjects/s/versions/latest", V2_NO_DEFAULT);
    assertEquals("{\"is_compatible\":false}", check.body().toString());
    Reply verbose =
        http.postSchema("/compatibility/subjects/s/versions/latest?verbose=true", V2_NO_DEFAULT);
    assertFalse(verbose.body().get("is_compatible").asBoolean());
    assertTrue(verbose.body().get("messages").size() > 0);
    assertTrue(
        http.postSchema("/compatibility/subjects/s/versions/1", V2_WITH_DEFAULT)
            .body()
            .get("is_compatible")
            .asBoolean());
    assertEquals(200, http.postSchema("/subjects/s/versions", V2_WITH_DEFAULT).status());
  }

  @Test
  void levelsFollowAvroSemantics() {
    // FORWARD: old readers must read new data; removing a field without default breaks that.
    String withField = record("F", "{\"name\":\"x\",\"type\":\"int\"}");
    http.put("/config/fwd", "{\"compatibility\":\"FORWARD\"}");
    http.postSchema("/subjects/fwd/versions", withField);
    assertEquals(409, http.postSchema("/subjects/fwd/versions", record("F")).status());
    assertEquals(
        200,
        http.postSchema(
                "/subjects/fwd/versions",
                record(
                    "F", "{\"name\":\"x\",\"type\":\"int\"}", "{\"name\":\"y\",\"type\":\"int\"}"))
            .status());

    // BACKWARD_TRANSITIVE checks every version, BACKWARD only the latest.
    String v1 = record("T", "{\"name\":\"a\",\"type\":\"int\"}");
    String v2 = record("T");
    String v3 = record("T", "{\"name\":\"a\",\"type\":\"string\",\"default\":\"\"}");
    http.postSchema("/subjects/plain/versions", v1);
    http.postSchema("/subjects/plain/versions", v2);
    assertEquals(200, http.postSchema("/subjects/plain/versions", v3).status());
    http.put("/config/trans", "{\"compatibility\":\"backward_transitive\"}");
    http.postSchema("/subjects/trans/versions", v1);
    http.postSchema("/subjects/trans/versions", v2);
    assertEquals(409, http.postSchema("/subjects/trans/versions", v3).status());

    http.put("/config/none", "{\"compatibility\":\"NONE\"}");
    http.postSchema("/subjects/none/versions", v1);
    assertEquals(200, http.postSchema("/subjects/none/versions", record("Other")).status());
  }

  @Test
  void configFallsBackToGlobalAndRejectsUnknownLevels() {
    assertEquals("{\"compatibilityLevel\":\"BACKWARD\"}", http.get("/config").body().toString());
    assertEquals(
        "{\"compatibilityLevel\":\"BACKWARD\"}", http.get("/config/anything").body().toString());
    assertEquals(
        "{\"compatibility\":\"FULL\"}",
        http.put("/config", "{\"compatibility\":\"full\"}").body().toString());
    assertEquals("FULL", http.get("/config/anything").body().get("compatibilityLevel").asText());
    http.put("/config/mine", "{\"compatibility\":\"NONE\"}");
    assertEquals("NONE", http.get("/config/mine").body().get("compatibilityLevel").asText());
    Reply bad = http.put("/config", "{\"compatibility\":\"SIDEWAYS\"}");
    assertEquals(422, bad.status());
    assertEquals(42203, bad.errorCode());
  }

  @Test
  void errorsCarryTheApiCodes() {
    http.postSchema("/subjects/s/versions", V1);
    assertError(404, 40401, http.get("/subjects/nope/versions"));
    assertEquals(
        "Subject 'nope' not found.",
        http.get("/subjects/nope/versions/1").body().get("message").asText());
    assertError(404, 40402, http.get("/subjects/s/versions/7"));
    assertError(422, 42202, http.get("/subjects/s/versions/zero"));
    assertError(422, 42202, http.get("/subjects/s/versions/0"));
    assertError(404, 40403, http.get("/schemas/ids/999"));
    assertError(404, 40403, http.postSchema("/subjects/s", V2_WITH_DEFAULT));
    assertError(404, 40401, http.postSchema("/subjects/nope", V1));
    assertError(404, 40401, http.postSchema("/compatibility/subjects/nope/versions/latest", V1));
    assertError(422, 42201, http.postSchema("/subjects/s/versions", "{\"type\":\"record\""));
    assertError(
        422,
        42201,
        http.postSchema("/subjects/s/versions", "{\"type\":\"recordz\",\"name\":\"X\"}"));
    assertError(422, 42201, http.post("/subjects/s/versions", "{}"));
    assertError(
        422,
        42201,
        http.post("/subjects/s/versions", "{\"schema\":\"{}\",\"schemaType\":\"PROTOBUF\"}"));
    assertError(400, 400, http.post("/subjects/s/versions", "not json"));
    assertError(415, 415, http.send("POST", "/subjects/s/versions", "{}", "text/plain"));
    assertError(404, 404, http.get("/nowhere"));
    assertError(404, 404, http.get("/subjects/s/other"));
    assertError(405, 405, http.send("DELETE", "/subjects/s", null, null));
    assertError(405, 405, http.send("GET", "/subjects/s", null, null));
    assertError(405, 405, http.send("POST", "/subjects", "{}", null));
  }

  @Test
  void failingStoreAnswers50001AndKeepsNothing() {
    log.failure = new IllegalStateException("disk on fire");
    assertError(500, 50001, http.postSchema("/subjects/s/versions", V1));
    assertError(404, 40401, http.get("/subjects/s/versions"));
  }

  @Test
  void aRestartedRegistryRebuildsItsStateFromTheLogAndContinuesNumbering() {
    int a = http.postSchema("/subjects/s/versions", V1).body().get("id").asInt();
    int b = http.postSchema("/subjects/s/versions", V2_WITH_DEFAULT).body().get("id").asInt();
    http.put("/config/s", "{\"compatibility\":\"NONE\"}");
    server.close();

    server = newServer();
    http = new RegistryHttp(server.url());
    assertEquals(V1.replace(" ", ""), http.get("/schemas/ids/" + a).body().get("schema").asText());
    assertEquals(b, http.get("/subjects/s/versions/latest").body().get("id").asInt());
    assertEquals("NONE", http.get("/config/s").body().get("compatibilityLevel").asText());
    int c = http.postSchema("/subjects/t/versions", record("Other")).body().get("id").asInt();
    assertEquals(b + 1, c);
    assertNotEquals(a, c);
  }

  private static void assertError(int status, int code, Reply reply) {
    assertEquals(status, reply.status(), reply.body().toString());
    assertEquals(code, reply.errorCode(), reply.body().toString());
    assertTrue(reply.body().get("message").isTextual(), reply.body().toString());
  }
}
