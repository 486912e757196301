package org.fpnas.embedded;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.fpnas.admin.ClientTls;
import org.fpnas.admin.SecretFiles;
import org.fpnas.tls.TlsMaterial;

/**
 * TLS on the broker's client listener: the server's key and chain in the one PEM file Kafka reads
 * ({@value #KEYSTORE} in the data dir, owner-only, rewritten on every start from the {@link
 * TlsMaterial}), and the CA that the broker's own clients of that listener trust.
 */
record BrokerTls(Path keystore, Path trustedCa) {

  static final String KEYSTORE = "tls-keystore.pem";

  /** Writes the keystore file for this start. */
  static BrokerTls write(Path dataDir, TlsMaterial material) {
    Path keystore = dataDir.resolve(KEYSTORE);
    SecretFiles.write(keystore, material.server().keystorePem());
    return new BrokerTls(keystore, material.trustedCa());
  }

  /**
   * The listener's key and certificate, and a truststore for the broker's connections to itself
   * (inter-broker requests go through the same listener).
   */
  Map<String, String> listenerProperties(String listener) {
    String prefix = BrokerSettings.LISTENER_PREFIX + listener.toLowerCase(Locale.ROOT) + ".";
    Map<String, String> p = new LinkedHashMap<>();
    p.put(prefix + "ssl.keystore.type", "PEM");
    p.put(prefix + "ssl.keystore.location", keystore.toString());
    p.put(prefix + "ssl.truststore.type", "PEM");
    p.put(prefix + "ssl.truststore.location", trustedCa.toString());
    return p;
  }

  /** What a client needs, besides a login, to connect: TLS, trusting the CA. */
  Map<String, String> clientProperties() {
    return ClientTls.trustingPem(trustedCa);
  }
}
