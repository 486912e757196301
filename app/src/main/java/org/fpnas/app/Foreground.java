package org.fpnas.app;

import java.util.concurrent.CountDownLatch;

/** Keeps a service in the foreground until Ctrl-C (or SIGTERM), then closes it. */
final class Foreground {
  private Foreground() {}

  static void runUntilStopped(AutoCloseable service, String name) {
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              try {
                service.close();
              } catch (Exception e) {
                System.err.println("fpnas " + name + ": error while stopping: " + e);
              } finally {
                stopped.countDown();
              }
            },
            "fpnas-" + name + "-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
