package org.fpnas.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.fpnas.tls.LocalCertificateAuthority;
import org.fpnas.tls.TlsMaterial;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's settings and validation, without starting a broker. */
class KafkaBrokerTest {

  @TempDir Path dir;

  @Test
  void portsAndClusterIdArePickedOnceAndRemembered() {
    BrokerSettings first = BrokerSettings.resolve(dir, 0, 0, Map.of());
    BrokerSettings again = BrokerSettings.resolve(dir, 0, 0, Map.of());
    assertTrue(first.port > 0 && first.controllerPort > 0);
    assertNotEquals(first.port, first.controllerPort);
    assertEquals(first.port, again.port);
    assertEquals(first.controllerPort, again.controllerPort);
    assertEquals(first.clusterId, again.clusterId);
    assertEquals("localhost:" + first.port, first.bootstrapServers());

    BrokerSettings explicit = BrokerSettings.resolve(dir, 19092, 0, Map.of());
    assertEquals(19092, explicit.port, "an explicit port wins over the remembered one");
    assertEquals(
        19092, BrokerSettings.resolve(dir, 0, 0, Map.of()).port, "and is remembered in turn");
  }

  @Test
  void serverPropertiesDescribeASingleNodeThatStartsFast() {
    Properties p =
        BrokerSettings.resolve(dir, 0, 0, Map.of("log.retention.hours", "1")).serverProperties();
    assertEquals("broker,controller", p.getProperty("process.roles"));
    assertEquals("1", p.getProperty("offsets.topic.replication.factor"));
    assertEquals("1", p.getProperty("transaction.state.log.min.isr"));
    assertEquals("0", p.getProperty("group.initial.rebalance.delay.ms"));
    assertEquals("false", p.getProperty("auto.create.topics.enable"));
    assertEquals("1", p.getProperty("log.retention.hours"));
    assertTrue(p.getProperty("log.dirs").endsWith("logs"));
  }

  @Test
  void secureServerPropertiesRequireScramAndDenyWhatNoAclAllows() {
    BrokerSecrets secrets = BrokerSecrets.loadOrCreate(dir);
    Properties p = BrokerSettings.resolve(dir, 0, 0, Map.of(), secrets, null).serverProperties();
    assertTrue(p.getProperty("listeners").startsWith("SASL_PLAINTEXT://localhost:"));
    assertEquals(
        "SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT",
        p.getProperty("listener.security.protocol.map"));
    assertEquals("SCRAM-SHA-256", p.getProperty("sasl.enabled.mechanisms"));
    assertEquals(
        "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
        p.getProperty("authorizer.class.name"));
    assertEquals("false", p.getProperty("allow.everyone.if.no.acl.found"));
    assertEquals("User:broker;User:admin", p.getProperty("super.users"));
    assertTrue(secrets.scramArguments().get(0).startsWith("SCRAM-SHA-256=[name=admin,password="));
    assertEquals(
        secrets.admin.password(), BrokerSecrets.loadOrCreate(dir).admin.password(), "created once");
    assertThrows(
        IllegalArgumentException.class,
        () -> KafkaBroker.inProcess(dir).property("super.users", "User:x"));
    assertThrows(
        IllegalArgumentException.class,
        () -> KafkaBroker.inProcess(dir).property("listener.name.x.sasl.jaas.config", "x"));
  }

  @Test
  void tlsServesTheClientListenerWithTheKeyInAnOwnerOnlyFileAndSaslOnTopWhenSecure()
      throws Exception {
    TlsMaterial material =
        LocalCertificateAuthority.ensure(dir.resolve("tls"), LocalCertificateAuthority.LOCALHOST);
    BrokerTls tls = BrokerTls.write(dir, material);
    Properties p = BrokerSettings.resolve(dir, 0, 0, Map.of(), null, tls).serverProperties();
    assertTrue(p.getProperty("listeners").startsWith("SSL://localhost:"));
    assertEquals("SSL:SSL,CONTROLLER:PLAINTEXT", p.getProperty("listener.security.protocol.map"));
    assertEquals("PEM", p.getProperty("listener.name.ssl.ssl.keystore.type"));
    Path keystore = Path.of(p.getProperty("listener.name.ssl.ssl.keystore.location"));
    assertTrue(Files.readString(keystore).contains("BEGIN PRIVATE KEY"));
    assertEquals(
        "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keystore)));
    assertEquals(
        material.trustedCa().toString(),
        p.getProperty("listener.name.ssl.ssl.truststore.location"));
    Properties secure =
        BrokerSettings.resolve(dir, 0, 0, Map.of(), BrokerSecrets.loadOrCreate(dir), tls)
            .serverProperties();
    assertEquals(
        "SASL_SSL:SASL_SSL,CONTROLLER:SASL_PLAINTEXT",
        secure.getProperty("listener.security.protocol.map"));
    assertTrue(
        secure
            .getProperty("listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config")
            .contains("ScramLoginModule"));
    assertEquals("PEM", secure.getProperty("listener.name.sasl_ssl.ssl.keystore.type"));
  }

  @Test
  void badInputFailsFastWithItsName() {
    KafkaBroker broker = KafkaBroker.inProcess(dir);
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> broker.port(70_000))
            .getMessage()
            .contains("port"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> broker.property("listeners", "x"))
            .getMessage()
            .contains("listeners"));
    assertThrows(IllegalArgumentException.class, () -> broker.startTimeout(Duration.ZERO));
    assertThrows(IllegalStateException.class, () -> broker.jvmOption("-Xmx1g"));
    assertThrows(UnsupportedOperationException.class, broker::kill);
    assertTrue(
        assertThrows(IllegalStateException.class, broker::bootstrapServers)
            .getMessage()
            .contains("not been started"));
    assertEquals(-1, broker.pid());
    broker.stop(); // not started: nothing to do
  }

  @Test
  void tailReadsTheLastLines(@TempDir Path logDir) throws Exception {
    Path log = logDir.resolve("broker.log");
    java.nio.file.Files.writeString(log, "one\ntwo\nthree\n");
    assertEquals("two" + System.lineSeparator() + "three", ChildProcessRuntime.tail(log, 2));
    assertEquals("", ChildProcessRuntime.tail(logDir.resolve("missing.log"), 2));
  }
}
