package org.fpnas.evaluator.share;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.lang.reflect.Proxy;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ShareConsumer;

/**
 * Micrometer's Kafka binder for a share consumer. {@link KafkaClientMetrics} (Micrometer 1.17)
 * takes producers, consumers and admin clients but not share consumers, and reads nothing from a
 * client but its {@code metrics()}; so the share consumer's metrics are handed to it as a {@link
 * Consumer} that answers only that.
 */
final class ShareConsumerMetrics {
  private ShareConsumerMetrics() {}

  static KafkaClientMetrics of(ShareConsumer<?, ?> consumer) {
    Consumer<?, ?> metricsOnly =
        (Consumer<?, ?>)
            Proxy.newProxyInstance(
                Consumer.class.getClassLoader(),
                new Class<?>[] {Consumer.class},
                (proxy, method, args) ->
                    switch (method.getName()) {
                      case "metrics" -> consumer.metrics();
                      case "hashCode" -> System.identityHashCode(proxy);
                      case "equals" -> proxy == args[0];
                      case "toString" -> "metrics of " + consumer;
                      default ->
                          throw new UnsupportedOperationException(
                              method.getName() + " on the metrics view of a share consumer");
                    });
    return new KafkaClientMetrics(metricsOnly);
  }
}
