package org.fpnas.app;

import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import org.fpnas.tls.ServerCertificate;

/** The TLS of a server the CLI runs (dashboard, metrics), from a certificate and key option. */
final class ServerTls {
  private ServerTls() {}

  /**
   * The TLS context of the PEM certificate chain and key, or null when neither is given.
   *
   * @throws IllegalArgumentException when only one is given, naming both options
   */
  static SSLContext of(String certificateOption, Path certificate, String keyOption, Path key) {
    if (certificate == null && key == null) {
      return null;
    }
    if (certificate == null || key == null) {
      throw new IllegalArgumentException(
          certificateOption + " and " + keyOption + " go together: give both or neither");
    }
    return new ServerCertificate(certificate, key).sslContext();
  }
}
