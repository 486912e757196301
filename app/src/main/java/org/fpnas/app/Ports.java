package org.fpnas.app;

/** Checks of port options. */
final class Ports {
  private Ports() {}

  static void check(String option, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(option + " must be between 0 and 65535, got " + port);
    }
  }
}
