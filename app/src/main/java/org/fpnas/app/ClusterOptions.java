package org.fpnas.app;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.fpnas.schemas.SchemaRegistryClient;
import picocli.CommandLine.Option;

/** Where Kafka and the schema registry are, shared by every command that talks to them. */
final class ClusterOptions {
  @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers (env FPNAS_BOOTSTRAP_SERVERS; default: ${DEFAULT-VALUE}).",
      defaultValue = "${env:FPNAS_BOOTSTRAP_SERVERS:-localhost:9092}")
  String bootstrapServers;

  @Option(names = "--schema-registry", description = "Schema registry URL (env FPNAS_SCHEMA_REGISTRY; default: ${DEFAULT-VALUE}).",
      defaultValue = "${env:FPNAS_SCHEMA_REGISTRY:-http://localhost:8081}")
  String schemaRegistry;

  @Option(names = "--client-config", description = "A properties file of extra Kafka client settings (security, timeouts) for every client.")
  Path clientConfig;

  SchemaRegistryClient registry() {
    return new SchemaRegistryClient(schemaRegistry);
  }

  /** The extra client settings from --client-config, empty if none. */
  Map<String, String> clientSettings() {
    Map<String, String> out = new TreeMap<>();
    if (clientConfig == null) {
      return out;
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(clientConfig)) {
      p.load(r);
    } catch (IOException e) {
      throw new IllegalArgumentException("--client-config " + clientConfig + " cannot be read: " + e.getMessage(), e);
    }
    p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
    return out;
  }
}
