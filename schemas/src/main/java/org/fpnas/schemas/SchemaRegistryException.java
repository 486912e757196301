package org.fpnas.schemas;

/**
 * An error answered by a schema registry, with the registry's HTTP status, error code and message.
 */
public final class SchemaRegistryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Confluent error code: subject not found. */
  public static final int SUBJECT_NOT_FOUND = 40401;

  /** Confluent error code: version not found. */
  public static final int VERSION_NOT_FOUND = 40402;

  /** Confluent error code: schema not found. */
  public static final int SCHEMA_NOT_FOUND = 40403;

  /** Confluent error code: schema incompatible with an earlier version. */
  public static final int INCOMPATIBLE_SCHEMA = 409;

  /** Confluent error code: invalid schema. */
  public static final int INVALID_SCHEMA = 42201;

  /** Error code of a request without valid credentials (HTTP 401). */
  public static final int UNAUTHORIZED = 401;

  /**
   * Confluent error code: the user is denied the operation (HTTP 403), e.g. a registration by a
   * read-only user.
   */
  public static final int FORBIDDEN = 40301;

  private final int httpStatus;
  private final int errorCode;
  private final boolean unavailable;

  public SchemaRegistryException(int httpStatus, int errorCode, String message) {
    super("schema registry error " + errorCode + " (HTTP " + httpStatus + "): " + message);
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
    this.unavailable = httpStatus >= 500;
  }

  public SchemaRegistryException(String message, Throwable cause) {
    this(message, cause, false);
  }

  private SchemaRegistryException(String message, Throwable cause, boolean unavailable) {
    super(message, cause);
    this.httpStatus = -1;
    this.errorCode = -1;
    this.unavailable = unavailable;
  }

  /** The registry could not be reached (or was interrupted): asking again later may succeed. */
  public static SchemaRegistryException unreachable(String message, Throwable cause) {
    return new SchemaRegistryException(message, cause, true);
  }

  /**
   * Whether the registry was unavailable (not reached, or an HTTP 5xx answer), as opposed to an
   * answer about the request itself: a caller retries the first, and reports the second.
   */
  public boolean unavailable() {
    return unavailable;
  }

  /** HTTP status of the answer, or -1 when the registry could not be reached. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The registry's error code (e.g. 40403), or -1 when the registry could not be reached. */
  public int errorCode() {
    return errorCode;
  }
}
