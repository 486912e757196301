package org.fpnas.testkit;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that starts one real Kafka broker and one schema registry per test run (per
 * JVM), shared by every test class that uses it, and stops them when the run ends.
 *
 * <p>The broker is Testcontainers' {@code apache/kafka} container where Docker is available, else
 * an in-process KRaft broker in a temporary directory; the registry is fpnas's own {@link
 * org.fpnas.embedded.SchemaRegistryServer} on that broker in both cases. The system property {@code
 * fpnas.testkit.broker} ({@code auto}, {@code embedded} or {@code container}) overrides the choice,
 * and {@code fpnas.testkit.kafkaImage} the container image.
 */
public final class RealKafkaExtension implements BeforeAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(RealKafkaExtension.class);

  /** Starts the shared broker and registry if this run has none yet. */
  @Override
  public void beforeAll(ExtensionContext context) {
    infra(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == KafkaInfra.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return infra(context);
  }

  /**
   * The run's shared infrastructure, started on first use. It lives in the root store, so JUnit
   * closes it when the run ends; a failed start is remembered and rethrown rather than retried by
   * every class.
   */
  static KafkaInfra infra(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(SharedInfra.class, key -> SharedInfra.start(), SharedInfra.class);
  }
}
