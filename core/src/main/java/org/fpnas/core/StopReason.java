package org.fpnas.core;

/**
 * Why a search stopped. Events carry the {@link #wireName()} text, so the wire contract stays a
 * string while the code can switch over the reasons.
 */
public enum StopReason {
  /** The entropy fell below {@code entropyStop}. */
  ENTROPY("entropy"),
  /** The mode held for {@code stableIterations} updates. */
  MODE_STABLE("mode-stable"),
  /** {@code maxIterations} updates were made. */
  MAX_ITERATIONS("max-iterations"),
  /** A user cancelled the search (set by the controller, never by the update). */
  CANCELLED("cancelled"),
  /**
   * An iteration got fewer than {@code kMin} OK results after its last dispatch attempt (set by the
   * controller, never by the update): the search ends where it is rather than wait for ever.
   */
  TOO_FEW_RESULTS("too-few-results");

  private final String wireName;

  StopReason(String wireName) {
    this.wireName = wireName;
  }

  /** The text events carry for this reason. */
  public String wireName() {
    return wireName;
  }

  /**
   * The reason an event names; null for null (a running search).
   *
   * @throws IllegalArgumentException for a text that is no stop reason, naming it
   */
  public static StopReason fromWire(String text) {
    if (text == null) {
      return null;
    }
    for (StopReason reason : values()) {
      if (reason.wireName.equals(text)) {
        return reason;
      }
    }
    StringBuilder known = new StringBuilder();
    for (StopReason reason : values()) {
      known.append(known.length() == 0 ? "" : ", ").append(reason.wireName);
    }
    throw new IllegalArgumentException("unknown stop reason '" + text + "' (known: " + known + ")");
  }

  /**
   * Whether the search ended where it was, without an update: its last event republishes the
   * distribution before it, done.
   */
  public boolean endsWithoutUpdate() {
    return this == CANCELLED || this == TOO_FEW_RESULTS;
  }

  /** Whether an event's stop reason (its wire text, null while running) ended it without update. */
  public static boolean endedWithoutUpdate(String wireText) {
    for (StopReason reason : values()) {
      if (reason.wireName.equals(wireText)) {
        return reason.endsWithoutUpdate();
      }
    }
    return false;
  }

  /** The text events carry for a reason; null for null. */
  public static String toWire(StopReason reason) {
    return reason == null ? null : reason.wireName;
  }

  @Override
  public String toString() {
    return wireName;
  }
}
