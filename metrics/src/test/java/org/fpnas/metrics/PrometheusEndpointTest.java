package org.fpnas.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class PrometheusEndpointTest {
  @Test
  void servesTheRegistrysMetersAndTheJvmsInPrometheusTextFormat() throws Exception {
    try (PrometheusEndpoint endpoint = PrometheusEndpoint.create().serve("127.0.0.1", 0)) {
      endpoint.registry().counter("fpnas.test.things", "team", "a").increment(3);
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(endpoint.url()).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
      assertTrue(r.body().contains("fpnas_test_things_total{team=\"a\"} 3.0"), r.body());
      assertTrue(r.body().contains("jvm_memory_used_bytes"), "JVM metrics are bound");
    }
  }

  @Test
  void aBadPortIsRefusedWithItsValue() {
    try (PrometheusEndpoint endpoint = PrometheusEndpoint.create()) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> endpoint.serve("localhost", 70000));
      assertTrue(e.getMessage().contains("70000"), e.getMessage());
    }
  }
}
