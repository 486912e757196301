package org.fpnas.evaluator.data;

/** A data set file is missing or corrupt; the message says which and how to get it. */
public final class DataUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A problem without a cause. */
  public DataUnavailableException(String message) {
    super(message);
  }

  /** A problem with the exception that revealed it. */
  public DataUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
