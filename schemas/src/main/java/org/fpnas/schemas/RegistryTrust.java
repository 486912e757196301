package org.fpnas.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Which certificate authorities a registry client trusts over HTTPS, from the client settings of a
 * {@code --client-config} file: Confluent's {@value #PREFIX}{@code ssl.truststore.location}, {@code
 * .type} and {@code .password}, else the Kafka clients' own {@code ssl.truststore.*}, so that one
 * file serves both. A truststore of type {@code PEM} is a file of CA certificates; JKS and PKCS12
 * are read with their password. Without a truststore the JDK's default CAs are trusted.
 */
public final class RegistryTrust {

  /** The prefix of Confluent's registry client settings. */
  public static final String PREFIX = "schema.registry.";

  private RegistryTrust() {}

  /** The TLS context of the truststore in the settings, or empty when they name none. */
  public static Optional<SSLContext> fromClientSettings(Map<String, String> settings) {
    String prefix = settings.containsKey(PREFIX + "ssl.truststore.location") ? PREFIX : "";
    String location = settings.get(prefix + "ssl.truststore.location");
    if (location == null || location.isBlank()) {
      return Optional.empty();
    }
    String type = settings.getOrDefault(prefix + "ssl.truststore.type", "JKS").trim();
    String password = settings.get(prefix + "ssl.truststore.password");
    return Optional.of(sslContext(Path.of(location.trim()), type, password));
  }

  /** A TLS context that trusts the CA certificates of a PEM file, and only those. */
  public static SSLContext trustingPem(Path caCertificates) {
    return sslContext(caCertificates, "PEM", null);
  }

  private static SSLContext sslContext(Path file, String type, String password) {
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore store;
      if (type.toUpperCase(Locale.ROOT).equals("PEM")) {
        store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int i = 0;
        for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
          store.setCertificateEntry("ca-" + i++, c);
        }
        if (i == 0) {
          throw new IllegalArgumentException("truststore " + file + " holds no PEM certificate");
        }
      } else {
        store = KeyStore.getInstance(type);
        store.load(in, password == null ? null : password.toCharArray());
      }
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "schema registry truststore " + file + " (type " + type + ") cannot be read: " + e, e);
    }
  }
}
