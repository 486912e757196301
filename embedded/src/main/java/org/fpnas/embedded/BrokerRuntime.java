package org.fpnas.embedded;

import java.time.Duration;

/** How a broker runs: in a child JVM or in this one. */
interface BrokerRuntime {

  /** Starts the broker on a formatted data dir; returns once it is launched, not once it serves. */
  void launch(BrokerSettings settings) throws Exception;

  boolean isAlive();

  /** The child's pid, or -1 when the broker runs in this JVM or is not running. */
  long pid();

  /** Shuts down cleanly, waiting at most the timeout before forcing it. */
  void stop(Duration timeout);

  /** Ends the broker abruptly, as a crash would. */
  void kill();

  /** What helps explain a failed start: the tail of the broker's own log, or an empty string. */
  String diagnostics();

  /** The exit code of a broker that has ended, or null if unknown or still running. */
  Integer exitCode();
}
