package org.fpnas.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * A server's TLS identity in PEM files: its certificate chain (the server's certificate first, then
 * any intermediates) and its unencrypted private key (PKCS#8, or the RSA and EC forms OpenSSL
 * writes).
 */
public record ServerCertificate(Path certificateChain, Path privateKey) {

  /** Checks that both files are given and readable. */
  public ServerCertificate {
    certificateChain = readable(certificateChain, "certificate chain");
    privateKey = readable(privateKey, "private key");
  }

  /** The certificates of the chain file, the server's first. */
  public List<X509Certificate> chain() {
    return readCertificates(certificateChain);
  }

  /** The server's private key. */
  public PrivateKey key() {
    try (Reader in = Files.newBufferedReader(privateKey, StandardCharsets.UTF_8);
        PEMParser pem = new PEMParser(in)) {
      Object read = pem.readObject();
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      if (read instanceof PrivateKeyInfo info) {
        return converter.getPrivateKey(info);
      }
      if (read instanceof PEMKeyPair pair) {
        return converter.getKeyPair(pair).getPrivate();
      }
      throw new IllegalArgumentException(
          privateKey
              + " holds no unencrypted private key in PEM"
              + (read == null ? "" : " (found " + read.getClass().getSimpleName() + ")"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + privateKey + ": " + e.getMessage(), e);
    }
  }

  /** A TLS context that serves this certificate (TLS 1.2 and 1.3, as the JDK allows). */
  public SSLContext sslContext() {
    try {
      char[] password = new char[16];
      SecureRandom random = new SecureRandom();
      for (int i = 0; i < password.length; i++) {
        password[i] = (char) ('a' + random.nextInt(26));
      }
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("server", key(), password, chain().toArray(Certificate[]::new));
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException(
          "cannot serve TLS with "
              + certificateChain
              + " and "
              + privateKey
              + " (does the key belong to the first certificate?): "
              + e.getMessage(),
          e);
    }
  }

  /**
   * The key (PKCS#8) followed by the chain, in PEM: the one file that Kafka's {@code
   * ssl.keystore.type=PEM} reads, which takes PKCS#8 keys only.
   */
  public String keystorePem() {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter out = new JcaPEMWriter(text)) {
      out.writeObject(new PemObject("PRIVATE KEY", key().getEncoded()));
      for (X509Certificate certificate : chain()) {
        out.writeObject(certificate);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }

  /** The X.509 certificates of a PEM file. */
  public static List<X509Certificate> readCertificates(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      List<X509Certificate> certificates =
          CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
              .map(X509Certificate.class::cast)
              .toList();
      if (certificates.isEmpty()) {
        throw new IllegalArgumentException(file + " holds no certificate");
      }
      return certificates;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          file + " holds no readable PEM certificate: " + e.getMessage(), e);
    }
  }

  private static Path readable(Path file, String what) {
    Objects.requireNonNull(file, what + " file");
    Path absolute = file.toAbsolutePath().normalize();
    if (!Files.isReadable(absolute)) {
      throw new IllegalArgumentException(what + " file " + absolute + " cannot be read");
    }
    return absolute;
  }
}
