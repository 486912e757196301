package org.fpnas.embedded;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Properties;

/**
 * The one-machine infrastructure: a KRaft broker (data in {@code dataDir/kafka}) and a schema registry
 * on it. Both remember their ports in the data dir, so that a restart on the same dir serves on the
 * same addresses and resumes with the same topics and schema ids.
 */
public final class EmbeddedInfra implements AutoCloseable {

    private static final String REGISTRY_PORT_FILE = "registry.properties";

    private final Path dataDir;
    private int kafkaPort;
    private int registryPort;
    private boolean inProcess;

    private KafkaBroker broker;
    private SchemaRegistryServer registry;

    /** Infrastructure whose data lives under {@code dataDir} (created if missing). */
    public EmbeddedInfra(Path dataDir) {
        this.dataDir = Objects.requireNonNull(dataDir, "dataDir").toAbsolutePath().normalize();
    }

    /** The broker's client port; 0 (default) picks one the first time and keeps it. */
    public synchronized EmbeddedInfra kafkaPort(int port) {
        this.kafkaPort = checkPort(port, "kafkaPort");
        return this;
    }

    /** The registry's HTTP port; 0 (default) picks one the first time and keeps it. */
    public synchronized EmbeddedInfra registryPort(int port) {
        this.registryPort = checkPort(port, "registryPort");
        return this;
    }

    /** Runs the broker in this JVM instead of a child process (faster, for tests; a fatal fault halts the JVM). */
    public synchronized EmbeddedInfra inProcess(boolean inProcess) {
        this.inProcess = inProcess;
        return this;
    }

    /** Starts the broker, then the registry; on failure nothing is left running. */
    public synchronized EmbeddedInfra start() {
        if (broker != null) {
            throw new IllegalStateException("infrastructure in " + dataDir + " is already running");
        }
        Path kafkaDir = dataDir.resolve("kafka");
        KafkaBroker newBroker = (inProcess ? KafkaBroker.inProcess(kafkaDir) : KafkaBroker.childProcess(kafkaDir))
                .port(kafkaPort);
        newBroker.start();
        try {
            int port = registryPort();
            registry = new SchemaRegistryServer(newBroker.bootstrapServers()).port(port).start();
            rememberRegistryPort(registry.url());
        } catch (RuntimeException | Error e) {
            newBroker.stop();
            throw e;
        }
        broker = newBroker;
        return this;
    }

    /** Where Kafka clients connect, e.g. {@code localhost:PORT}. */
    public synchronized String bootstrapServers() {
        return broker().bootstrapServers();
    }

    /** Where registry clients connect, e.g. {@code http://localhost:PORT}. */
    public synchronized String schemaRegistryUrl() {
        return registry().url();
    }

    /** The running broker. */
    public synchronized KafkaBroker broker() {
        if (broker == null) {
            throw new IllegalStateException("infrastructure in " + dataDir + " is not running; call start()");
        }
        return broker;
    }

    /** The running registry. */
    public synchronized SchemaRegistryServer registry() {
        if (registry == null) {
            throw new IllegalStateException("infrastructure in " + dataDir + " is not running; call start()");
        }
        return registry;
    }

    /** Stops the registry first (it is a client of the broker), then the broker. */
    @Override
    public synchronized void close() {
        try {
            if (registry != null) {
                registry.close();
            }
        } finally {
            registry = null;
            if (broker != null) {
                broker.stop();
            }
            broker = null;
        }
    }

    private int registryPort() {
        if (registryPort > 0) {
            return registryPort;
        }
        String remembered = BrokerSettings.readProperties(dataDir.resolve(REGISTRY_PORT_FILE)).getProperty("port");
        if (remembered == null) {
            return 0;
        }
        int port = Integer.parseInt(remembered.trim());
        if (!BrokerSettings.isPortFree(port)) {
            throw new IllegalStateException("schema registry port " + port + " (chosen on an earlier start and "
                    + "remembered in " + dataDir.resolve(REGISTRY_PORT_FILE) + ") is in use by another process; "
                    + "free it, or set registryPort explicitly");
        }
        return port;
    }

    private void rememberRegistryPort(String url) {
        Properties p = new Properties();
        p.setProperty("port", url.substring(url.lastIndexOf(':') + 1));
        BrokerSettings.writeProperties(dataDir.resolve(REGISTRY_PORT_FILE), p, "port of the embedded schema registry");
    }

    private static int checkPort(int port, String name) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(name + " must be between 0 and 65535, was " + port);
        }
        return port;
    }

    @Override
    public String toString() {
        return "EmbeddedInfra[" + dataDir + (broker == null ? "" : ", " + broker.bootstrapServers()) + "]";
    }
}
