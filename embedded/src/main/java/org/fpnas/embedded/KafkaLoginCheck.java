package org.fpnas.embedded;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.fpnas.admin.ScramCredentials;

/**
 * Checks a password by logging in to the Kafka cluster with it (SASL/SCRAM or SASL/PLAIN, as the
 * registry's own client settings do). The registry thus keeps no user list of its own: a
 * principal's Kafka password is its registry password, and removing a SCRAM user (as {@code fpnas
 * team delete} does) ends its registry access too, at the latest when its cached login expires.
 *
 * <p>A successful login is remembered for a minute as a salted digest, so that the broker sees one
 * login per user and minute, not one per HTTP request.
 */
final class KafkaLoginCheck implements CredentialCheck {

  private static final Duration REMEMBER = Duration.ofMinutes(1);
  private static final Duration LOGIN_TIMEOUT = Duration.ofSeconds(15);
  private static final Set<String> PROTOCOLS = Set.of("SASL_PLAINTEXT", "SASL_SSL");

  private record Remembered(byte[] digest, long expiresAtNanos) {}

  private final String bootstrapServers;
  private final Map<String, String> clientProperties;
  private final boolean scram;
  private final byte[] salt = new byte[16];
  private final Map<String, Remembered> remembered = new ConcurrentHashMap<>();

  /**
   * Logs in to the cluster at {@code bootstrapServers} with the protocol and mechanism of these
   * client settings.
   */
  KafkaLoginCheck(String bootstrapServers, Map<String, String> clientProperties) {
    String protocol = clientProperties.getOrDefault("security.protocol", "PLAINTEXT");
    String mechanism = clientProperties.getOrDefault("sasl.mechanism", "GSSAPI");
    if (!PROTOCOLS.contains(protocol)
        || !(mechanism.startsWith("SCRAM-") || mechanism.equals("PLAIN"))) {
      throw new IllegalArgumentException(
          "the schema registry checks HTTP basic credentials by logging in to "
              + "Kafka with them, which needs SASL/SCRAM or SASL/PLAIN client settings; the registry's client "
              + "settings have security.protocol="
              + protocol
              + " and sasl.mechanism="
              + mechanism);
    }
    this.bootstrapServers = bootstrapServers;
    this.clientProperties = Map.copyOf(clientProperties);
    this.scram = mechanism.startsWith("SCRAM-");
    new SecureRandom().nextBytes(salt);
  }

  @Override
  public boolean accepts(String user, String password) {
    ScramCredentials credentials;
    try {
      credentials = new ScramCredentials(user, password);
    } catch (IllegalArgumentException e) {
      return false; // not a name or password any principal can have; never put it in a JAAS line
    }
    byte[] digest = digest(user, password);
    Remembered known = remembered.get(user);
    if (known != null
        && known.expiresAtNanos - System.nanoTime() > 0
        && MessageDigest.isEqual(known.digest, digest)) {
      return true;
    }
    boolean valid = login(credentials);
    if (valid) {
      remembered.put(user, new Remembered(digest, System.nanoTime() + REMEMBER.toNanos()));
    } else {
      remembered.remove(user);
    }
    return valid;
  }

  private boolean login(ScramCredentials credentials) {
    Properties p = new Properties();
    p.putAll(clientProperties);
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, "fpnas-schema-registry-login");
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(LOGIN_TIMEOUT.toMillis()));
    p.put(
        "sasl.jaas.config",
        scram
            ? credentials.jaasConfig()
            : "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                + credentials.user()
                + "\" password=\""
                + credentials.password()
                + "\";");
    try (Admin admin = Admin.create(p)) {
      // Any request needs a logged-in connection; describing the cluster needs no ACL.
      admin.describeCluster().clusterId().get(LOGIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AuthenticationException) {
        return false;
      }
      throw new IllegalStateException(
          "cannot check the credentials of '"
              + credentials.user()
              + "' at "
              + bootstrapServers
              + ": "
              + e.getCause(),
          e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "cannot check the credentials of '"
              + credentials.user()
              + "': Kafka at "
              + bootstrapServers
              + " did not answer within "
              + LOGIN_TIMEOUT.toSeconds()
              + " s",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while checking credentials", e);
    }
  }

  private byte[] digest(String user, String password) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(salt);
      sha.update(user.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(password.getBytes(StandardCharsets.UTF_8));
      return sha.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
