package org.fpnas.cluster;

import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Warnings about rejected records, at most a few per second: a flood of bad records must not flood
 * the log too. What is held back is counted and reported with the next warning that passes.
 */
public final class RateLimitedLog {
  private final Logger log;
  private final int perSecond;
  private final LongSupplier nanoTime;
  private long windowStart;
  private int inWindow;
  private long suppressed;

  public RateLimitedLog(Logger log, int perSecond) {
    this(log, perSecond, System::nanoTime);
  }

  RateLimitedLog(Logger log, int perSecond, LongSupplier nanoTime) {
    this.log = log;
    this.perSecond = perSecond;
    this.nanoTime = nanoTime;
    this.windowStart = nanoTime.getAsLong();
  }

  /** Logs the warning unless too many were logged in the last second. */
  public synchronized void warn(String format, Object... args) {
    long now = nanoTime.getAsLong();
    if (now - windowStart >= 1_000_000_000L) {
      windowStart = now;
      inWindow = 0;
    }
    if (inWindow >= perSecond) {
      suppressed++;
      return;
    }
    inWindow++;
    if (suppressed > 0) {
      log.warn("({} similar warnings suppressed)", suppressed);
      suppressed = 0;
    }
    log.warn(format, args);
  }
}
