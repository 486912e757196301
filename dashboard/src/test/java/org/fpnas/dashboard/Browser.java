package org.fpnas.dashboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real headless Chromium, driven by Selenium through Debian's chromedriver: the driver and the
 * browser are the system's packages (`.ci/run` installs them), so Selenium Manager downloads
 * nothing.
 */
final class Browser implements AutoCloseable {
  static final Path DRIVER =
      Path.of(System.getProperty("fpnas.chromedriver", "/usr/bin/chromedriver"));
  static final Path CHROMIUM = Path.of(System.getProperty("fpnas.chromium", "/usr/bin/chromium"));

  final ChromeDriver driver;

  Browser() {
    if (!Files.isExecutable(DRIVER) || !Files.isExecutable(CHROMIUM)) {
      throw new IllegalStateException(
          "the dashboard's browser tests need Debian's chromium and chromium-driver "
              + "(apt-get install -y chromium chromium-driver; .ci/run does): no "
              + (Files.isExecutable(DRIVER) ? CHROMIUM : DRIVER));
    }
    System.setProperty("webdriver.chrome.driver", DRIVER.toString());
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1400,1000",
        "--hide-scrollbars");
    options.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL"));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(DRIVER.toFile())
            .usingAnyFreePort()
            .build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
  }

  /** A screenshot of the whole page (the window grown to its height), for people to look at. */
  void screenshot(Path file) {
    var window = driver.manage().window();
    org.openqa.selenium.Dimension size = window.getSize();
    try {
      Files.createDirectories(file.getParent());
      long height =
          ((Number) driver.executeScript("return document.documentElement.scrollHeight;"))
              .longValue();
      window.setSize(
          new org.openqa.selenium.Dimension(
              size.getWidth(), (int) Math.min(4000, Math.max(600, height + 140))));
      Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
      window.setSize(size);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What the page logged (errors included), and its HTML, for a failed test's report. */
  String diagnostics() {
    StringBuilder sb = new StringBuilder("page ").append(driver.getCurrentUrl()).append('\n');
    driver
        .manage()
        .logs()
        .get(org.openqa.selenium.logging.LogType.BROWSER)
        .forEach(e -> sb.append(e.getLevel()).append(' ').append(e.getMessage()).append('\n'));
    return sb.append(driver.getPageSource()).toString();
  }

  @Override
  public void close() {
    driver.quit();
  }
}
