package org.fpnas.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.fpnas.tls.LocalCertificateAuthority;
import org.fpnas.tls.TlsMaterial;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which CAs a registry client trusts, from client settings, against a real HTTPS server. */
class RegistryTrustTest {
  @TempDir Path dir;

  @Test
  void theKafkaTruststoreIsTrustedWhenTheRegistryHasNoneOfItsOwn() throws Exception {
    TlsMaterial tls = LocalCertificateAuthority.ensure(dir, LocalCertificateAuthority.LOCALHOST);
    HttpsServer server = registry(tls);
    try {
      String url = "https://localhost:" + server.getAddress().getPort();
      Map<String, String> settings =
          Map.of(
              "ssl.truststore.type", "PEM", "ssl.truststore.location", tls.trustedCa().toString());
      SchemaRegistryClient trusting =
          new SchemaRegistryClient(url)
              .trust(RegistryTrust.fromClientSettings(settings).orElseThrow());
      assertEquals(7, trusting.latest("x").id());
      SchemaRegistryException refused =
          assertThrows(
              SchemaRegistryException.class, () -> new SchemaRegistryClient(url).latest("x"));
      assertInstanceOf(SSLHandshakeException.class, refused.getCause(), refused.toString());
      TlsMaterial other =
          LocalCertificateAuthority.ensure(
              dir.resolve("other"), LocalCertificateAuthority.LOCALHOST);
      SchemaRegistryClient trustingAnother =
          new SchemaRegistryClient(url).trust(RegistryTrust.trustingPem(other.trustedCa()));
      assertThrows(SchemaRegistryException.class, () -> trustingAnother.latest("x"));
    } finally {
      server.stop(0);
    }
  }

  @Test
  void theRegistrysOwnSettingsWinAndABadFileIsNamed() throws Exception {
    TlsMaterial tls = LocalCertificateAuthority.ensure(dir, LocalCertificateAuthority.LOCALHOST);
    Path bad = Files.writeString(dir.resolve("bad.pem"), "no certificate here");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                RegistryTrust.fromClientSettings(
                    Map.of(
                        "schema.registry.ssl.truststore.type",
                        "PEM",
                        "schema.registry.ssl.truststore.location",
                        bad.toString(),
                        "ssl.truststore.type",
                        "PEM",
                        "ssl.truststore.location",
                        tls.trustedCa().toString())));
    assertTrue(e.getMessage().contains("bad.pem"), e.getMessage());
    assertTrue(RegistryTrust.fromClientSettings(Map.of()).isEmpty(), "the JDK's CAs");
  }

  /** An HTTPS server that answers every request with subject x's version 1, schema id 7. */
  private static HttpsServer registry(TlsMaterial tls) throws Exception {
    HttpsServer server =
        HttpsServer.create(new InetSocketAddress(InetAddress.getByName("localhost"), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls.server().sslContext()));
    server.createContext(
        "/",
        exchange -> {
          byte[] body =
              "{\"subject\":\"x\",\"version\":1,\"id\":7,\"schema\":\"\\\"string\\\"\"}"
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    return server;
  }
}
