package org.fpnas.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCertificateAuthorityTest {
  @TempDir Path dir;

  @Test
  void theServerChainValidatesAgainstTheCaAndNamesEveryHost() throws Exception {
    TlsMaterial tls = LocalCertificateAuthority.ensure(dir, LocalCertificateAuthority.LOCALHOST);
    List<X509Certificate> chain = tls.server().chain();
    X509Certificate ca = ServerCertificate.readCertificates(tls.trustedCa()).get(0);
    PKIXParameters trust = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
    trust.setRevocationEnabled(false);
    CertPathValidator.getInstance("PKIX")
        .validate(CertificateFactory.getInstance("X.509").generateCertPath(chain), trust);
    assertEquals(
        Set.of("localhost", "127.0.0.1", "::1"), LocalCertificateAuthority.names(chain.get(0)));
    assertEquals(-1, chain.get(0).getBasicConstraints(), "the server's certificate is no CA");
    assertTrue(chain.get(0).getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.1"), "serverAuth");
    assertTrue(ca.getBasicConstraints() >= 0, "the CA's certificate is a CA");
  }

  @Test
  void keysAreReadableByTheOwnerOnly() throws Exception {
    LocalCertificateAuthority.ensure(dir, LocalCertificateAuthority.LOCALHOST);
    for (String key :
        List.of(LocalCertificateAuthority.CA_KEY, LocalCertificateAuthority.SERVER_KEY)) {
      assertEquals(
          "rw-------",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(key))),
          key);
    }
  }

  @Test
  void aSecondStartKeepsTheFilesAndANewHostIsSignedByTheSameCa() throws Exception {
    LocalCertificateAuthority.ensure(dir, List.of("localhost"));
    byte[] ca = Files.readAllBytes(dir.resolve(LocalCertificateAuthority.CA));
    byte[] server = Files.readAllBytes(dir.resolve(LocalCertificateAuthority.SERVER));
    LocalCertificateAuthority.ensure(dir, List.of("localhost"));
    assertArrayEquals(server, Files.readAllBytes(dir.resolve(LocalCertificateAuthority.SERVER)));
    TlsMaterial more = LocalCertificateAuthority.ensure(dir, List.of("localhost", "kafka"));
    assertArrayEquals(ca, Files.readAllBytes(dir.resolve(LocalCertificateAuthority.CA)));
    assertNotEquals(
        new String(server), Files.readString(dir.resolve(LocalCertificateAuthority.SERVER)));
    assertTrue(LocalCertificateAuthority.names(more.server().chain().get(0)).contains("kafka"));
  }

  @Test
  void aClientThatTrustsTheCaCompletesAHandshakeForLocalhostAndOneThatDoesNotFails()
      throws Exception {
    TlsMaterial tls = LocalCertificateAuthority.ensure(dir, LocalCertificateAuthority.LOCALHOST);
    SSLContext server = tls.server().sslContext();
    assertEquals("hello", handshake(server, trusting(tls.trustedCa())));
    TlsMaterial other =
        LocalCertificateAuthority.ensure(dir.resolve("other"), LocalCertificateAuthority.LOCALHOST);
    assertThrows(SSLHandshakeException.class, () -> handshake(server, trusting(other.trustedCa())));
  }

  @Test
  void aKeyThatIsNotPemIsRefusedNamingTheFile() throws Exception {
    TlsMaterial tls = LocalCertificateAuthority.ensure(dir, List.of("localhost"));
    Path bad = Files.writeString(dir.resolve("bad.key"), "not a key");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new ServerCertificate(tls.server().certificateChain(), bad).sslContext());
    assertTrue(e.getMessage().contains("bad.key"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> new ServerCertificate(dir.resolve("missing.pem"), bad));
    assertFalse(tls.server().keystorePem().contains("EC PRIVATE KEY"), "PKCS#8 for Kafka");
  }

  private static SSLContext trusting(Path ca) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setCertificateEntry("ca", ServerCertificate.readCertificates(ca).get(0));
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }

  /** A line through TLS from a client that checks the host name, as HTTPS does. */
  private static String handshake(SSLContext server, SSLContext client) throws Exception {
    try (SSLServerSocket listening =
        (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0)) {
      CompletableFuture<Void> served =
          CompletableFuture.runAsync(
              () -> {
                try (var socket = listening.accept();
                    OutputStream out = socket.getOutputStream()) {
                  out.write("hello".getBytes());
                } catch (Exception e) {
                  // the client's refusal ends the handshake here too
                }
              });
      try (SSLSocket socket =
          (SSLSocket)
              client.getSocketFactory().createSocket("localhost", listening.getLocalPort())) {
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        InputStream in = socket.getInputStream();
        String text = new String(in.readAllBytes());
        served.get(10, TimeUnit.SECONDS);
        return text;
      }
    }
  }
}
