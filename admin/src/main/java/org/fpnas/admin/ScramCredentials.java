package org.fpnas.admin;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * A SASL/SCRAM-SHA-256 user and password, and the client settings that log in with them: Kafka's
 * ({@code security.protocol}, {@code sasl.mechanism}, {@code sasl.jaas.config}) and the schema
 * registry's ({@code basic.auth.user.info}, Confluent's name for HTTP basic credentials).
 */
public record ScramCredentials(String user, String password) {

  /** The SASL mechanism of every fpnas principal. */
  public static final String MECHANISM = "SCRAM-SHA-256";

  /**
   * The Kafka client setting that carries HTTP basic credentials for the schema registry
   * (Confluent's name).
   */
  public static final String REGISTRY_USER_INFO = "basic.auth.user.info";

  /** Confluent's companion setting: where the registry credentials come from. */
  public static final String REGISTRY_CREDENTIALS_SOURCE = "basic.auth.credentials.source";

  /**
   * SCRAM names must not need escaping ('=' and ','); JAAS values must not need escaping ('"' and
   * '\\').
   */
  private static final Pattern USER = Pattern.compile("[A-Za-z0-9._@+-]{1,128}");

  private static final Pattern PASSWORD = Pattern.compile("[\\x21-\\x7E&&[^\"\\\\]]{1,256}");
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * Checks the user name and password: both must be usable in a JAAS line and a SCRAM exchange as
   * they are.
   */
  public ScramCredentials {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password of " + user);
    if (!USER.matcher(user).matches()) {
      throw new IllegalArgumentException(
          "SCRAM user '"
              + user
              + "' must be 1-128 letters, digits, '.', '_', "
              + "'@', '+' or '-'");
    }
    if (!PASSWORD.matcher(password).matches()) {
      throw new IllegalArgumentException(
          "password of SCRAM user '"
              + user
              + "' must be 1-256 printable ASCII "
              + "characters other than space, '\"' and '\\'");
    }
  }

  /** Credentials with a fresh random password (144 bits, URL-safe Base64). */
  public static ScramCredentials generate(String user) {
    byte[] secret = new byte[18];
    RANDOM.nextBytes(secret);
    return new ScramCredentials(
        user, Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
  }

  /** The Kafka principal, e.g. {@code User:fpnas-services}. */
  public String principal() {
    return "User:" + user;
  }

  /** The JAAS line of a SCRAM client login. */
  public String jaasConfig() {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + user
        + "\" password=\""
        + password
        + "\";";
  }

  /** The Kafka client settings that log in as this user over SASL_PLAINTEXT. */
  public Map<String, String> clientProperties() {
    return clientProperties(Map.of());
  }

  /**
   * The Kafka client settings that log in as this user over the transport of {@link ClientTls}:
   * SASL_SSL with its truststore, or SASL_PLAINTEXT when it is empty.
   */
  public Map<String, String> clientProperties(Map<String, String> transport) {
    Map<String, String> p = new LinkedHashMap<>(transport);
    p.put("security.protocol", ClientTls.usesTls(transport) ? "SASL_SSL" : "SASL_PLAINTEXT");
    p.put("sasl.mechanism", MECHANISM);
    p.put("sasl.jaas.config", jaasConfig());
    return p;
  }

  /** {@code user:password}, the value of {@value #REGISTRY_USER_INFO}. */
  public String registryUserInfo() {
    return user + ":" + password;
  }

  /**
   * Writes a client settings file (for {@code --client-config}) that only the owner may read: the
   * Kafka settings and the registry's basic-auth settings, with comment lines first.
   */
  public void writeClientConfig(Path file, String... comments) {
    writeClientConfig(file, Map.of(), comments);
  }

  /**
   * Like {@link #writeClientConfig(Path, String...)}, over the transport of {@link ClientTls}; its
   * truststore is written for the registry client too.
   */
  public void writeClientConfig(Path file, Map<String, String> transport, String... comments) {
    StringBuilder text = new StringBuilder();
    for (String comment : comments) {
      text.append("# ").append(comment).append('\n');
    }
    Map<String, String> settings = new LinkedHashMap<>(clientProperties(transport));
    settings.putAll(ClientTls.forRegistry(transport));
    // Properties escaping: a Windows path's backslashes would be read as escapes otherwise.
    settings.forEach(
        (k, v) -> text.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
    text.append(REGISTRY_CREDENTIALS_SOURCE).append("=USER_INFO\n");
    text.append(REGISTRY_USER_INFO).append('=').append(registryUserInfo()).append('\n');
    SecretFiles.write(file, text.toString());
  }

  /**
   * Credentials from a {@value #REGISTRY_USER_INFO} value, {@code user:password}, as in a client
   * settings file that {@link #writeClientConfig} wrote.
   */
  public static ScramCredentials ofUserInfo(String userInfo) {
    int colon = userInfo == null ? -1 : userInfo.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException(REGISTRY_USER_INFO + " must be user:password");
    }
    return new ScramCredentials(
        userInfo.substring(0, colon).trim(), userInfo.substring(colon + 1).trim());
  }

  /**
   * Waits until these credentials log in to the cluster. A SCRAM user that was just created reaches
   * the broker a moment after the controller accepted it, and a client that tries earlier is
   * refused.
   *
   * @throws IllegalStateException naming the last error if they still cannot log in after the
   *     timeout
   */
  public void awaitLogin(String bootstrapServers, Duration timeout) {
    awaitLogin(bootstrapServers, Map.of(), timeout);
  }

  /** Like {@link #awaitLogin(String, Duration)}, over the transport of {@link ClientTls}. */
  public void awaitLogin(String bootstrapServers, Map<String, String> transport, Duration timeout) {
    Properties p = new Properties();
    p.putAll(clientProperties(transport));
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, "fpnas-login-check");
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (System.nanoTime() - deadline < 0) {
      // A fresh client per attempt: one that failed to authenticate keeps the failure for a while.
      try (Admin admin = Admin.create(p)) {
        admin.describeCluster().clusterId().get(5, TimeUnit.SECONDS);
        return;
      } catch (ExecutionException | TimeoutException e) {
        last = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + user + " to log in", e);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + user + " to log in", e);
      }
    }
    throw new IllegalStateException(
        "SCRAM user "
            + user
            + " cannot log in to "
            + bootstrapServers
            + " within "
            + timeout.toMillis()
            + " ms"
            + (last == null ? "" : ": " + (last.getCause() == null ? last : last.getCause())));
  }

  /** Hides the password, so that credentials can be logged. */
  @Override
  public String toString() {
    return "ScramCredentials[" + user + "]";
  }
}
