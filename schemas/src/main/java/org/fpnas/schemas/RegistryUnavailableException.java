package org.fpnas.schemas;

/**
 * A record could not be read because the schema registry was unavailable when its writer schema was
 * looked up: the record itself may be fine, so a reader retries it later instead of setting it
 * aside as unreadable ({@link WireFormatException}).
 */
public final class RegistryUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RegistryUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
