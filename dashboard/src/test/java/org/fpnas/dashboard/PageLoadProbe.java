package org.fpnas.dashboard;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Measures, by hand (not a test), how long a dashboard page takes in headless Chromium until its
 * charts are drawn: {@code PageLoadProbe URL RUNS}. Prints each run and the median.
 */
public final class PageLoadProbe {
  private PageLoadProbe() {}

  public static void main(String[] args) {
    String url = args[0];
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    List<Double> drawn = new ArrayList<>();
    try (Browser browser = new Browser()) {
      var js = (JavascriptExecutor) browser.driver;
      for (int i = 0; i < runs; i++) {
        browser.driver.get(url);
        new WebDriverWait(browser.driver, java.time.Duration.ofSeconds(60))
            .until(
                d ->
                    ((Number)
                                    js.executeScript(
                                        "return document.querySelectorAll('#curves canvas, #layers canvas, #scatter canvas').length;"))
                                .intValue()
                            > 0
                        && ((Number)
                                    js.executeScript(
                                        "return document.querySelectorAll('#layers .chart').length;"))
                                .intValue()
                            > 0);
        double ms = ((Number) js.executeScript("return performance.now();")).doubleValue();
        Object nav =
            js.executeScript(
                "const t = performance.getEntriesByType('navigation')[0];"
                    + " return [t.responseEnd, t.domContentLoadedEventEnd, t.loadEventEnd];");
        Object api =
            js.executeScript(
                "const r = performance.getEntriesByType('resource').filter(e => e.name.includes('/api/search'));"
                    + " return r.length ? [r[0].duration, r[0].transferSize || r[0].encodedBodySize] : null;");
        System.out.printf(
            Locale.ROOT,
            "run %d: charts drawn at %.0f ms; navigation (response, DOM, load) %s ms; /api/search (ms, bytes) %s%n",
            i + 1,
            ms,
            nav,
            api);
        drawn.add(ms);
      }
    }
    Collections.sort(drawn);
    System.out.printf(
        Locale.ROOT,
        "median time to charts drawn: %.0f ms over %d runs%n",
        drawn.get(drawn.size() / 2),
        runs);
  }
}
