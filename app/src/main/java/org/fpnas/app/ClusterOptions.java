package org.fpnas.app;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fpnas.schemas.RegistryTrust;
import org.fpnas.schemas.SchemaRegistryClient;
import org.fpnas.schemas.Topics;
import picocli.CommandLine.Option;

/**
 * Where Kafka and the schema registry are, and who the caller is there, shared by every command
 * that talks to them. The {@code --client-config} file holds Kafka client settings and, under
 * Confluent's names, the registry's basic-auth credentials ({@code
 * basic.auth.user.info=user:password}, or {@code basic.auth.credentials.source=SASL_INHERIT} to
 * reuse the SASL user and password). An {@code https://} registry is checked against the truststore
 * of {@code schema.registry.ssl.truststore.*}, else of the Kafka clients' {@code ssl.truststore.*}
 * ({@link RegistryTrust}).
 */
final class ClusterOptions {
  /**
   * Settings of --client-config that are the registry's, not Kafka's; they are not passed to Kafka
   * clients.
   */
  static final Set<String> REGISTRY_KEYS =
      Set.of("basic.auth.user.info", "basic.auth.credentials.source");

  private static final Pattern JAAS_USER = Pattern.compile("username\\s*=\\s*\"([^\"]*)\"");
  private static final Pattern JAAS_PASSWORD = Pattern.compile("password\\s*=\\s*\"([^\"]*)\"");

  @Option(
      names = "--bootstrap-servers",
      description =
          "Kafka bootstrap servers (env FPNAS_BOOTSTRAP_SERVERS; default: ${DEFAULT-VALUE}).",
      defaultValue = "${env:FPNAS_BOOTSTRAP_SERVERS:-localhost:9092}")
  String bootstrapServers;

  @Option(
      names = "--schema-registry",
      description = "Schema registry URL (env FPNAS_SCHEMA_REGISTRY; default: ${DEFAULT-VALUE}).",
      defaultValue = "${env:FPNAS_SCHEMA_REGISTRY:-http://localhost:8081}")
  String schemaRegistry;

  @Option(
      names = "--client-config",
      description =
          "A properties file of extra Kafka client settings (security, timeouts) "
              + "for every client; basic.auth.user.info=user:password in it authenticates to the schema registry, "
              + "and its ssl.truststore.* settings (or schema.registry.ssl.truststore.*) check an https registry.")
  Path clientConfig;

  /**
   * The registry client, with basic authentication when --client-config has registry credentials.
   */
  SchemaRegistryClient registry() {
    Map<String, String> settings = fileSettings();
    SchemaRegistryClient client = new SchemaRegistryClient(schemaRegistry);
    registryCredentials(settings).ifPresent(c -> client.basicAuth(c[0], c[1]));
    RegistryTrust.fromClientSettings(settings).ifPresent(client::trust);
    return client;
  }

  /**
   * The extra Kafka client settings from --client-config, empty if none; the registry's are left
   * out.
   */
  Map<String, String> clientSettings() {
    Map<String, String> out = fileSettings();
    out.keySet().removeAll(REGISTRY_KEYS);
    out.keySet().removeIf(k -> k.startsWith(RegistryTrust.PREFIX));
    return out;
  }

  /**
   * The team a command works on: the one given, else the team whose principal ({@code team-NAME})
   * the --client-config file logs in as, else {@value Topics#DEFAULT_TEAM}.
   */
  String team(String given) {
    if (given != null) {
      return given;
    }
    return principalTeam(fileSettings()).orElse(Topics.DEFAULT_TEAM);
  }

  /**
   * {user, password} for the registry, from {@code basic.auth.user.info} or, with SASL_INHERIT, the
   * SASL login.
   */
  static Optional<String[]> registryCredentials(Map<String, String> settings) {
    String source =
        settings
            .getOrDefault("basic.auth.credentials.source", "USER_INFO")
            .trim()
            .toUpperCase(Locale.ROOT);
    switch (source) {
      case "USER_INFO" -> {
        String info = settings.get("basic.auth.user.info");
        if (info == null) {
          return Optional.empty();
        }
        int colon = info.indexOf(':');
        if (colon <= 0) {
          throw new IllegalArgumentException(
              "--client-config: basic.auth.user.info must be user:password");
        }
        return Optional.of(
            new String[] {info.substring(0, colon).trim(), info.substring(colon + 1).trim()});
      }
      case "SASL_INHERIT" -> {
        String jaas = settings.getOrDefault("sasl.jaas.config", "");
        Matcher user = JAAS_USER.matcher(jaas);
        Matcher password = JAAS_PASSWORD.matcher(jaas);
        if (!user.find() || !password.find()) {
          throw new IllegalArgumentException(
              "--client-config: basic.auth.credentials.source=SASL_INHERIT needs "
                  + "username=\"...\" and password=\"...\" in sasl.jaas.config");
        }
        return Optional.of(new String[] {user.group(1), password.group(1)});
      }
      default ->
          throw new IllegalArgumentException(
              "--client-config: basic.auth.credentials.source must be USER_INFO "
                  + "or SASL_INHERIT, got "
                  + source);
    }
  }

  /** The team of a {@code team-NAME} SASL user in the settings, if that is whom they log in as. */
  static Optional<String> principalTeam(Map<String, String> settings) {
    Matcher user = JAAS_USER.matcher(settings.getOrDefault("sasl.jaas.config", ""));
    if (!user.find() || !user.group(1).startsWith("team-")) {
      return Optional.empty();
    }
    String team = user.group(1).substring("team-".length());
    try {
      return Optional.of(Topics.validTeam(team));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private Map<String, String> fileSettings() {
    Map<String, String> out = new TreeMap<>();
    if (clientConfig == null) {
      return out;
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(clientConfig)) {
      p.load(r);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "--client-config " + clientConfig + " cannot be read: " + e.getMessage(), e);
    }
    p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
    return out;
  }
}
