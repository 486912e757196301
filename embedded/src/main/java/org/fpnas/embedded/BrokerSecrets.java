package org.fpnas.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.fpnas.admin.ScramCredentials;
import org.fpnas.admin.SecretFiles;

/**
 * The passwords of a secure broker's own principals, kept owner-only in {@value #FILE} of the data
 * dir: the administrator (a super user for people and tools) and the node itself (a super user that
 * the broker uses on its controller and inter-broker listeners).
 *
 * <p>Why in a file: SCRAM credentials must be in the metadata log before the broker first starts
 * (nobody could log in to create them otherwise), so they are bootstrapped when the data dir is
 * formatted, and the node's own password is also needed in {@code server.properties} on every
 * start.
 */
final class BrokerSecrets {

  static final String FILE = "secrets.properties";

  /**
   * The node's own principal; a JAAS option name ({@code user_broker}) is built from it, so no '-'.
   */
  static final String BROKER_USER = "broker";

  final ScramCredentials admin;
  final ScramCredentials broker;

  private BrokerSecrets(ScramCredentials admin, ScramCredentials broker) {
    this.admin = admin;
    this.broker = broker;
  }

  static boolean exist(Path dataDir) {
    return Files.exists(dataDir.resolve(FILE));
  }

  /** The secrets in the data dir, or new ones written there if it has none. */
  static BrokerSecrets loadOrCreate(Path dataDir) {
    if (exist(dataDir)) {
      return load(dataDir);
    }
    BrokerSecrets created =
        new BrokerSecrets(
            ScramCredentials.generate(KafkaBroker.ADMIN_USER),
            ScramCredentials.generate(BROKER_USER));
    Properties p = new Properties();
    p.setProperty("admin.user", created.admin.user());
    p.setProperty("admin.password", created.admin.password());
    p.setProperty("broker.user", created.broker.user());
    p.setProperty("broker.password", created.broker.password());
    SecretFiles.writeProperties(
        dataDir.resolve(FILE), p, "passwords of the embedded broker's super users; keep secret");
    return created;
  }

  static void discard(Path dataDir) {
    try {
      Files.deleteIfExists(dataDir.resolve(FILE));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(
          "cannot delete " + dataDir.resolve(FILE) + ": " + e.getMessage(), e);
    }
  }

  static BrokerSecrets load(Path dataDir) {
    Path file = dataDir.resolve(FILE);
    Properties p = BrokerSettings.readProperties(file);
    try {
      return new BrokerSecrets(
          new ScramCredentials(
              required(p, "admin.user", file), required(p, "admin.password", file)),
          new ScramCredentials(
              required(p, "broker.user", file), required(p, "broker.password", file)));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(file + " is damaged: " + e.getMessage(), e);
    }
  }

  private static String required(Properties p, String key, Path file) {
    String value = p.getProperty(key);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          file
              + " has no '"
              + key
              + "'; the secure broker's credentials are lost. "
              + "Restore the file or start over with a new data dir");
    }
    return value.trim();
  }

  /**
   * Arguments for the formatter's {@code --add-scram}: both users, so that they can log in on the
   * first start.
   */
  List<String> scramArguments() {
    return List.of(scramArgument(admin), scramArgument(broker));
  }

  private static String scramArgument(ScramCredentials c) {
    return ScramCredentials.MECHANISM + "=[name=" + c.user() + ",password=" + c.password() + "]";
  }
}
