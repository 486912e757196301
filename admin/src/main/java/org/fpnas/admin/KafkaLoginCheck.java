package org.fpnas.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.AuthenticationException;

/**
 * Checks a password by logging in to the Kafka cluster with it (SASL/SCRAM or SASL/PLAIN, as the
 * caller's own client settings do). The schema registry and the dashboard thus keep no user list of
 * their own: a principal's Kafka password is its password there, and removing a SCRAM user (as
 * {@code fpnas team delete} does) ends that access too, at the latest when its cached login
 * expires.
 *
 * <p>A successful login is remembered for a minute as a salted digest, so that the broker sees one
 * login per user and minute, not one per HTTP request.
 */
public final class KafkaLoginCheck implements CredentialCheck {

  private static final Duration REMEMBER = Duration.ofMinutes(1);
  private static final Duration LOGIN_TIMEOUT = Duration.ofSeconds(15);
  private static final Set<String> PROTOCOLS = Set.of("SASL_PLAINTEXT", "SASL_SSL");

  private record Remembered(byte[] digest, long expiresAtNanos) {}

  private final String bootstrapServers;
  private final Map<String, String> clientProperties;
  private final String clientId;
  private final boolean scram;
  private final byte[] salt = new byte[16];
  private final Map<String, Remembered> remembered = new ConcurrentHashMap<>();

  /**
   * Logs in to the cluster at {@code bootstrapServers} with the protocol and mechanism of these
   * client settings, as the Kafka client {@code clientId} (which names the caller in the broker's
   * logs and in the error when the settings cannot log in with a password).
   *
   * @throws IllegalArgumentException when the settings are not SASL/SCRAM or SASL/PLAIN
   */
  public KafkaLoginCheck(
      String bootstrapServers, Map<String, String> clientProperties, String clientId) {
    String protocol = clientProperties.getOrDefault("security.protocol", "PLAINTEXT");
    String mechanism = clientProperties.getOrDefault("sasl.mechanism", "GSSAPI");
    if (!PROTOCOLS.contains(protocol)
        || !(mechanism.startsWith("SCRAM-") || mechanism.equals("PLAIN"))) {
      throw new IllegalArgumentException(
          clientId
              + " checks passwords by logging in to Kafka with them, which needs SASL/SCRAM or"
              + " SASL/PLAIN client settings; its client settings have security.protocol="
              + protocol
              + " and sasl.mechanism="
              + mechanism);
    }
    this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    this.clientProperties = Map.copyOf(clientProperties);
    this.clientId = Objects.requireNonNull(clientId, "clientId");
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

  /**
   * The Kafka client settings that log in as this user: the caller's settings (protocol, mechanism,
   * TLS) with the user's own login in place of the caller's.
   */
  public Map<String, String> clientPropertiesOf(ScramCredentials credentials) {
    Map<String, String> p = new HashMap<>(clientProperties);
    p.put(
        SaslConfigs.SASL_JAAS_CONFIG,
        scram
            ? credentials.jaasConfig()
            : "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                + credentials.user()
                + "\" password=\""
                + credentials.password()
                + "\";");
    return p;
  }

  private boolean login(ScramCredentials credentials) {
    Properties p = new Properties();
    p.putAll(clientPropertiesOf(credentials));
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(LOGIN_TIMEOUT.toMillis()));
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
