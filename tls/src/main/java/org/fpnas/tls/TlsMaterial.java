package org.fpnas.tls;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What a TLS server needs and what its clients must trust: the server's certificate and key, and
 * the PEM file of the certificate authority that signed it.
 */
public record TlsMaterial(ServerCertificate server, Path trustedCa) {

  /** Checks that both are given and the CA file is readable. */
  public TlsMaterial {
    Objects.requireNonNull(server, "server certificate");
    Objects.requireNonNull(trustedCa, "trusted CA file");
    trustedCa = trustedCa.toAbsolutePath().normalize();
    if (!Files.isReadable(trustedCa)) {
      throw new IllegalArgumentException("CA certificate file " + trustedCa + " cannot be read");
    }
  }
}
