package org.fpnas.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading --client-config: Kafka settings, registry credentials and the caller's team; quota rates.
 */
class ClusterOptionsTest {
  private static final String JAAS =
      "org.apache.kafka.common.security.scram.ScramLoginModule required "
          + "username=\"team-vision\" password=\"p4ss:word\";";

  @TempDir Path dir;

  @Test
  void aTeamsClientConfigGivesKafkaSettingsRegistryCredentialsAndItsTeam() throws Exception {
    Path file = dir.resolve("team-vision.properties");
    Files.writeString(
        file,
        "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=SCRAM-SHA-256\nsasl.jaas.config="
            + JAAS
            + "\nbasic.auth.credentials.source=USER_INFO\nbasic.auth.user.info=team-vision:p4ss:word\n");
    ClusterOptions options = new ClusterOptions();
    options.clientConfig = file;
    assertEquals(
        Map.of(
            "security.protocol",
            "SASL_PLAINTEXT",
            "sasl.mechanism",
            "SCRAM-SHA-256",
            "sasl.jaas.config",
            JAAS),
        options.clientSettings(),
        "the registry's settings are not Kafka's");
    assertEquals("vision", options.team(null), "the team of the principal");
    assertEquals("other", options.team("other"), "a given team wins");
    assertEquals("default", new ClusterOptions().team(null));
    options.schemaRegistry = "http://localhost:8081";
    options.registry();
  }

  @Test
  void theRegistrysTruststoreIsNotPassedToKafkaClients() throws Exception {
    Path file = dir.resolve("tls.properties");
    Files.writeString(
        file,
        "security.protocol=SSL\nssl.truststore.type=PEM\nssl.truststore.location=/ca.pem\n"
            + "schema.registry.ssl.truststore.type=PEM\n"
            + "schema.registry.ssl.truststore.location=/ca.pem\n");
    ClusterOptions options = new ClusterOptions();
    options.clientConfig = file;
    assertEquals(
        Map.of(
            "security.protocol",
            "SSL",
            "ssl.truststore.type",
            "PEM",
            "ssl.truststore.location",
            "/ca.pem"),
        options.clientSettings());
  }

  @Test
  void registryCredentialsComeFromUserInfoOrTheSaslLogin() {
    assertArrayEquals(
        new String[] {"u", "p:q"},
        ClusterOptions.registryCredentials(Map.of("basic.auth.user.info", "u:p:q")).orElseThrow());
    assertArrayEquals(
        new String[] {"team-vision", "p4ss:word"},
        ClusterOptions.registryCredentials(
                Map.of("basic.auth.credentials.source", "SASL_INHERIT", "sasl.jaas.config", JAAS))
            .orElseThrow());
    assertEquals(Optional.empty(), ClusterOptions.registryCredentials(Map.of()));
    assertMessage(
        "user:password",
        () -> ClusterOptions.registryCredentials(Map.of("basic.auth.user.info", "nocolon")));
    assertMessage(
        "SASL_INHERIT",
        () ->
            ClusterOptions.registryCredentials(
                Map.of("basic.auth.credentials.source", "SASL_INHERIT")));
    assertMessage(
        "USER_INFO",
        () -> ClusterOptions.registryCredentials(Map.of("basic.auth.credentials.source", "URL")));
    assertEquals(
        Optional.empty(),
        ClusterOptions.principalTeam(
            Map.of("sasl.jaas.config", JAAS.replace("team-vision", "fpnas-services"))));
    assertEquals(
        Optional.empty(),
        ClusterOptions.principalTeam(
            Map.of("sasl.jaas.config", JAAS.replace("team-vision", "team-Bad Name"))));
  }

  @Test
  void ratesTakeBinaryUnits() {
    assertEquals(1_048_576, ByteRate.parse("1048576"));
    assertEquals(524_288, ByteRate.parse("512K"));
    assertEquals(10_485_760, ByteRate.parse("10MiB"));
    assertEquals(10_485_760, ByteRate.parse("10 MB/s"));
    assertEquals(1L << 30, ByteRate.parse("1g"));
    assertEquals(0, ByteRate.parse("0"));
    for (String bad : new String[] {"fast", "1.5M", "-1", "KiB", "5 TB", "99999999999999999999G"}) {
      assertMessage("", () -> ByteRate.parse(bad));
    }
    assertMessage("bytes per second", () -> ByteRate.parse("fast"));
  }

  private static void assertMessage(
      String expected, org.junit.jupiter.api.function.Executable action) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action);
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
