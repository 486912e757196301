package org.fpnas.controller.internals;

import java.time.Duration;
import org.fpnas.schemas.RegistryUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record that could not be read because the schema registry was down is not the sender's fault:
 * it is never dead-lettered. The processor rethrows, after a pause, so that the stream thread is
 * replaced and the record read again from the last commit (nothing of its transaction is kept); the
 * pause keeps an outage from spinning the thread.
 */
public final class RegistryOutage {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryOutage.class);
  static final Duration PAUSE = Duration.ofSeconds(2);

  private RegistryOutage() {}

  /** Waits a moment and returns the exception to throw. */
  public static RegistryUnavailableException retryLater(RegistryUnavailableException e) {
    LOG.warn(
        "schema registry unavailable; the record is read again in {}: {}", PAUSE, e.getMessage());
    try {
      Thread.sleep(PAUSE.toMillis());
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    }
    return e;
  }
}
