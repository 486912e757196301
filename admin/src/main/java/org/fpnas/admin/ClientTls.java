package org.fpnas.admin;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The transport part of Kafka client settings: {@code security.protocol=SSL} and the truststore
 * that checks the broker's certificate, without any login. {@link ScramCredentials} adds the login
 * on top (SASL_SSL). The same truststore is repeated under Confluent's {@code schema.registry.}
 * prefix for registry clients that do not fall back to Kafka's settings.
 */
public final class ClientTls {

  private static final String PROTOCOL = "security.protocol";
  private static final String REGISTRY_PREFIX = "schema.registry.";

  private ClientTls() {}

  /** Settings that connect over TLS and trust the CA certificates of a PEM file. */
  public static Map<String, String> trustingPem(Path caCertificates) {
    Objects.requireNonNull(caCertificates, "CA certificates file");
    Map<String, String> p = new LinkedHashMap<>();
    p.put(PROTOCOL, "SSL");
    p.put("ssl.truststore.type", "PEM");
    p.put("ssl.truststore.location", caCertificates.toAbsolutePath().normalize().toString());
    return p;
  }

  /**
   * The transport part of some client settings: {@code security.protocol=SSL} and their {@code
   * ssl.*} settings when they use TLS (SSL or SASL_SSL), else nothing.
   */
  public static Map<String, String> of(Map<String, String> clientSettings) {
    Map<String, String> p = new LinkedHashMap<>();
    if (!usesTls(clientSettings)) {
      return p;
    }
    p.put(PROTOCOL, "SSL");
    clientSettings.forEach(
        (k, v) -> {
          if (k.startsWith("ssl.")) {
            p.put(k, v);
          }
        });
    return p;
  }

  /** Whether the settings connect over TLS. */
  public static boolean usesTls(Map<String, String> clientSettings) {
    return clientSettings.getOrDefault(PROTOCOL, "PLAINTEXT").trim().endsWith("SSL");
  }

  /** The truststore settings again under the registry clients' prefix. */
  public static Map<String, String> forRegistry(Map<String, String> transport) {
    Map<String, String> p = new LinkedHashMap<>();
    transport.forEach(
        (k, v) -> {
          if (k.startsWith("ssl.truststore.")) {
            p.put(REGISTRY_PREFIX + k, v);
          }
        });
    return p;
  }
}
