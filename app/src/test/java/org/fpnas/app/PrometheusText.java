package org.fpnas.app;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scrape of a Prometheus endpoint, read for the sum of a metric's samples whose labels include
 * given ones.
 */
final class PrometheusText {
  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)\\})? (\\S+)$");

  private final String text;

  private PrometheusText(String text) {
    this.text = text;
  }

  static PrometheusText scrape(URI url) {
    try {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new AssertionError(url + " answered " + r.statusCode());
      }
      return new PrometheusText(r.body());
    } catch (IOException e) {
      throw new AssertionError("cannot scrape " + url + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** The sum over the metric's samples that carry every given label value; NaN if it has none. */
  double sum(String metric, Map<String, String> labels) {
    double sum = 0;
    boolean any = false;
    for (String line : text.split("\n")) {
      Matcher m = SAMPLE.matcher(line);
      if (!m.matches() || !m.group(1).equals(metric)) {
        continue;
      }
      String l = m.group(3) == null ? "" : m.group(3);
      if (labels.entrySet().stream()
          .allMatch(e -> l.contains(e.getKey() + "=\"" + e.getValue() + "\""))) {
        sum += Double.parseDouble(m.group(4));
        any = true;
      }
    }
    return any ? sum : Double.NaN;
  }

  boolean has(String metric) {
    return text.lines()
        .anyMatch(line -> line.startsWith(metric + "{") || line.startsWith(metric + " "));
  }

  @Override
  public String toString() {
    return text;
  }
}
