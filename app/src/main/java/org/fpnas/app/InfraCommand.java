package org.fpnas.app;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.fpnas.embedded.EmbeddedInfra;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fpnas infra}: runs the embedded KRaft broker and schema registry in the foreground. */
@Command(name = "infra", mixinStandardHelpOptions = true,
    description = "Run a local Kafka broker (KRaft) and schema registry in the foreground until Ctrl-C.")
final class InfraCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--data-dir", description = "Directory for the broker's data; a restart on it keeps topics and schemas (default: ${DEFAULT-VALUE}).",
      defaultValue = "${sys:user.home}/.fpnas")
  Path dataDir;

  @Option(names = "--kafka-port", description = "Broker port; 0 picks a free one and remembers it in the data dir (default: ${DEFAULT-VALUE}).", defaultValue = "9092")
  int kafkaPort;

  @Option(names = "--registry-port", description = "Schema registry port (default: ${DEFAULT-VALUE}).", defaultValue = "8081")
  int registryPort;

  @Option(names = "--in-process", description = "Run the broker inside this JVM instead of a child process.")
  boolean inProcess;

  @Override
  public void run() {
    Ports.check("--kafka-port", kafkaPort);
    Ports.check("--registry-port", registryPort);
    var out = spec.commandLine().getOut();
    CountDownLatch stopped = new CountDownLatch(1);
    try (EmbeddedInfra infra = new EmbeddedInfra(dataDir).kafkaPort(kafkaPort).registryPort(registryPort)
        .inProcess(inProcess)) {
      out.println("Starting Kafka (KRaft) and the schema registry with data in " + dataDir + " ...");
      infra.start();
      out.println("Kafka bootstrap servers: " + infra.bootstrapServers());
      out.println("Schema registry:         " + infra.schemaRegistryUrl());
      out.println("Press Ctrl-C to stop.");
      out.flush();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        infra.close();
        stopped.countDown();
      }, "fpnas-infra-shutdown"));
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
