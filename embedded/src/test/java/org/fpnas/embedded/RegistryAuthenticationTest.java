package org.fpnas.embedded;

import static org.fpnas.embedded.RegistryHttp.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fpnas.admin.CredentialCheck;
import org.fpnas.embedded.RegistryHttp.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Basic authentication of the registry with a fixed user list: who may read, who may write, the
 * error shapes.
 */
class RegistryAuthenticationTest {

  private static final String SCHEMA = record("Sample");
  private static final Map<String, String> PASSWORDS =
      Map.of("services", "s3cret", "team-a", "a-pass");

  private SchemaRegistryServer server;
  private RegistryHttp anonymous;

  @BeforeEach
  void start() {
    CredentialCheck check = (user, password) -> password.equals(PASSWORDS.get(user));
    server =
        new SchemaRegistryServer("memory", topic -> new InMemorySchemaLog())
            .authenticate(check, Set.of("services"))
            .startTimeout(Duration.ofSeconds(5))
            .start();
    anonymous = new RegistryHttp(server.url());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void everyRequestNeedsValidCredentials() {
    for (Reply reply :
        List.of(
            anonymous.get("/subjects"),
            anonymous.as("team-a", "wrong").get("/subjects"),
            anonymous.as("nobody", "a-pass").get("/schemas/types"),
            anonymous.postSchema("/subjects/x-value/versions", SCHEMA))) {
      assertEquals(401, reply.status());
      assertEquals(401, reply.errorCode(), "Confluent's shape: {\"error_code\":401,...}");
      assertEquals("Unauthorized", reply.body().get("message").asText());
    }
  }

  @Test
  void onlyWritersRegisterWhileEveryAuthenticatedUserReadsAndLooksUp() {
    RegistryHttp services = anonymous.as("services", "s3cret");
    RegistryHttp team = anonymous.as("team-a", "a-pass");
    int id =
        services
            .postSchema("/subjects/fpnas.a.searches-value/versions", SCHEMA)
            .body()
            .get("id")
            .asInt();

    Reply refused = team.postSchema("/subjects/fpnas.a.searches-value/versions", record("Other"));
    assertEquals(403, refused.status());
    assertEquals(40301, refused.errorCode());
    assertTrue(
        refused.body().get("message").asText().contains("team-a"), refused.body().toString());
    assertEquals(403, team.put("/config", "{\"compatibility\":\"NONE\"}").status());
    assertEquals(
        403, team.put("/config/fpnas.a.searches-value", "{\"compatibility\":\"NONE\"}").status());

    assertEquals(200, team.get("/subjects").status());
    assertEquals(200, team.get("/schemas/ids/" + id).status());
    Reply lookup = team.postSchema("/subjects/fpnas.a.searches-value", SCHEMA);
    assertEquals(
        200, lookup.status(), "a lookup is a read: a team finds the id of a registered schema");
    assertEquals(id, lookup.body().get("id").asInt());
    assertEquals(
        200,
        team.postSchema("/compatibility/subjects/fpnas.a.searches-value/versions/latest", SCHEMA)
            .status(),
        "so is a compatibility check");
    assertEquals(200, services.put("/config", "{\"compatibility\":\"BACKWARD\"}").status());
  }

  @Test
  void malformedHeadersAreNoCredentials() {
    assertNull(BasicAuthFilter.credentials(null));
    assertNull(BasicAuthFilter.credentials("Bearer abc"));
    assertNull(BasicAuthFilter.credentials("Basic !!!"));
    assertNull(
        BasicAuthFilter.credentials(
            "Basic " + java.util.Base64.getEncoder().encodeToString("nocolon".getBytes())));
    String[] parsed =
        BasicAuthFilter.credentials(
            "basic " + java.util.Base64.getEncoder().encodeToString("u:p:with:colons".getBytes()));
    assertEquals("u", parsed[0]);
    assertEquals("p:with:colons", parsed[1]);
    assertTrue(BasicAuthFilter.isWrite("DELETE", List.of("subjects", "s")));
    assertFalse(BasicAuthFilter.isWrite("POST", List.of("subjects", "s")));
    assertTrue(BasicAuthFilter.isWrite("POST", List.of("subjects", "s", "versions")));
  }
}
