package org.fpnas.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.fpnas.tls.LocalCertificateAuthority;
import org.fpnas.tls.ServerCertificate;
import org.fpnas.tls.TlsMaterial;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
  void withACertificateItServesHttpsOnlyToClientsThatTrustItsCa(@TempDir Path dir)
      throws Exception {
    TlsMaterial tls = LocalCertificateAuthority.ensure(dir, LocalCertificateAuthority.LOCALHOST);
    try (PrometheusEndpoint endpoint =
        PrometheusEndpoint.create().serve("127.0.0.1", 0, tls.server().sslContext())) {
      assertEquals("https", endpoint.url().getScheme());
      HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(tls.trustedCa())).build();
      URI byName = URI.create(endpoint.url().toString().replace("127.0.0.1", "localhost"));
      HttpResponse<String> r =
          trusting.send(
              HttpRequest.newBuilder(byName).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      assertTrue(r.body().contains("jvm_memory_used_bytes"), r.body());
      URI plain = URI.create(byName.toString().replace("https://", "http://"));
      assertThrows(
          IOException.class,
          () ->
              HttpClient.newHttpClient()
                  .send(
                      HttpRequest.newBuilder(plain).build(), HttpResponse.BodyHandlers.ofString()));
      assertThrows(
          SSLHandshakeException.class,
          () ->
              HttpClient.newHttpClient()
                  .send(
                      HttpRequest.newBuilder(byName).build(), HttpResponse.BodyHandlers.ofString()),
          "a client that does not trust the CA");
    }
  }

  private static SSLContext trusting(Path ca) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setCertificateEntry("ca", ServerCertificate.readCertificates(ca).get(0));
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }

  @Test
  void healthSaysWhatIsWrongWith503AndOkWith200() throws Exception {
    java.util.concurrent.atomic.AtomicReference<String> problem =
        new java.util.concurrent.atomic.AtomicReference<>();
    try (PrometheusEndpoint endpoint =
        PrometheusEndpoint.create()
            .health(problem::get, () -> "not started")
            .serve("127.0.0.1", 0)) {
      HttpResponse<String> live = get(endpoint, PrometheusEndpoint.LIVE);
      assertEquals(200, live.statusCode());
      assertEquals("ok", live.body());
      problem.set("worker e-0 stopped: broker unreachable for 5 min");
      live = get(endpoint, PrometheusEndpoint.LIVE);
      assertEquals(503, live.statusCode());
      assertTrue(live.body().contains("worker e-0 stopped"), live.body());
      HttpResponse<String> ready = get(endpoint, PrometheusEndpoint.READY);
      assertEquals(503, ready.statusCode());
      assertEquals("not started", ready.body());
    }
  }

  private static HttpResponse<String> get(PrometheusEndpoint endpoint, String path)
      throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(endpoint.url().resolve(path)).build(),
            HttpResponse.BodyHandlers.ofString());
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
