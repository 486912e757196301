package org.fpnas.embedded;

import java.io.IOException;
import java.io.InputStream;

/**
 * Entry point of the child broker JVM: runs {@code kafka.Kafka} and exits when its stdin closes.
 *
 * <p>Why stdin: the parent holds the write end of the child's stdin pipe. When the parent ends in
 * any way, a SIGKILL included, the OS closes that pipe, this JVM reads end-of-file and exits
 * through Kafka's shutdown hook (a clean shutdown). A shutdown hook in the parent alone would not
 * survive a SIGKILL of the parent.
 */
final class ChildBrokerMain {

  /** Set to {@code true} to exit when stdin reaches end-of-file. */
  static final String EXIT_ON_STDIN_EOF = "fpnas.broker.exitOnStdinEof";

  private ChildBrokerMain() {}

  public static void main(String[] args) throws Exception {
    if (Boolean.getBoolean(EXIT_ON_STDIN_EOF)) {
      Thread watcher = new Thread(ChildBrokerMain::exitAtEndOfInput, "parent-watcher");
      watcher.setDaemon(true);
      watcher.start();
    }
    kafka.Kafka.main(args);
  }

  private static void exitAtEndOfInput() {
    InputStream in = System.in;
    byte[] buffer = new byte[64];
    try {
      while (in.read(buffer) != -1) {
        // The parent never writes; anything read is ignored.
      }
    } catch (IOException e) {
      // A broken pipe means the parent is gone, just like end-of-file.
    }
    System.err.println("fpnas: parent process closed stdin; shutting down the broker");
    System.exit(0);
  }
}
