package org.fpnas.embedded;

import static org.fpnas.embedded.RegistryHttp.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.fpnas.admin.ScramCredentials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded broker and registry with security on: who can log in, what the services may do,
 * restarts.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SecureInfraIT {

  @TempDir Path dir;

  @Test
  void onlyKnownPrincipalsGetInAndOnlyWhatTheirAclsAllow() throws Exception {
    try (EmbeddedInfra infra = new EmbeddedInfra(dir).inProcess(true).secure(true).start()) {
      String bootstrap = infra.bootstrapServers();
      ScramCredentials admin = infra.adminCredentials();
      ScramCredentials services = infra.servicesCredentials();
      try (Admin asAdmin = admin(bootstrap, admin.clientProperties())) {
        asAdmin
            .createTopics(List.of(new NewTopic("admins-only", 1, (short) 1)))
            .all()
            .get(30, TimeUnit.SECONDS);
      }

      ExecutionException wrong =
          assertThrows(
              ExecutionException.class,
              () ->
                  describe(
                      bootstrap,
                      new ScramCredentials(admin.user(), "not-the-password").clientProperties(),
                      "admins-only"));
      assertInstanceOf(SaslAuthenticationException.class, wrong.getCause());

      // The services principal has only what it was given: here the registry's topic.
      ExecutionException denied =
          assertThrows(
              ExecutionException.class,
              () -> describe(bootstrap, services.clientProperties(), "admins-only"));
      assertInstanceOf(TopicAuthorizationException.class, denied.getCause());
      describe(bootstrap, services.clientProperties(), "_schemas");

      RegistryHttp registry = new RegistryHttp(infra.schemaRegistryUrl());
      assertEquals(401, registry.get("/subjects").status());
      assertEquals(401, registry.as(services.user(), "wrong").get("/subjects").status());
      assertEquals(
          200,
          registry
              .as(services.user(), services.password())
              .postSchema("/subjects/s-value/versions", record("S"))
              .status());
      assertEquals(
          200,
          registry
              .as(admin.user(), admin.password())
              .postSchema("/subjects/s-value/versions", record("S"))
              .status());

      for (Path secret :
          List.of(
              infra.adminClientConfig(),
              infra.servicesClientConfig(),
              dir.resolve("kafka").resolve(BrokerSecrets.FILE))) {
        assertEquals(
            "rw-------",
            PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)),
            secret.toString());
      }
      Properties file = BrokerSettings.readProperties(infra.servicesClientConfig());
      assertEquals("SASL_PLAINTEXT", file.getProperty("security.protocol"));
      assertEquals(
          services.registryUserInfo(), file.getProperty(ScramCredentials.REGISTRY_USER_INFO));
    }

    // A restart keeps every password; the data dir stays secure for good.
    try (EmbeddedInfra again = new EmbeddedInfra(dir).inProcess(true).secure(true).start()) {
      ScramCredentials services = again.servicesCredentials();
      describe(again.bootstrapServers(), services.clientProperties(), "_schemas");
      assertEquals(
          200,
          new RegistryHttp(again.schemaRegistryUrl())
              .as(services.user(), services.password())
              .get("/subjects")
              .status());
    }
    IllegalStateException open =
        assertThrows(
            IllegalStateException.class, () -> new EmbeddedInfra(dir).inProcess(true).start());
    assertTrue(open.getMessage().contains("secure"), open.getMessage());
  }

  private static Admin admin(String bootstrap, Map<String, String> settings) {
    Properties p = new Properties();
    p.putAll(settings);
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
    return Admin.create(p);
  }

  private static void describe(String bootstrap, Map<String, String> settings, String topic)
      throws Exception {
    try (Admin admin = admin(bootstrap, settings)) {
      admin.describeTopics(List.of(topic)).allTopicNames().get(20, TimeUnit.SECONDS);
    }
  }
}
