package org.fpnas.embedded;

/** A failed registry request, carrying the Schema Registry API's HTTP status and error code. */
final class RegistryException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  final int status;
  final int errorCode;

  RegistryException(int status, int errorCode, String message) {
    super(message);
    this.status = status;
    this.errorCode = errorCode;
  }

  RegistryException(int status, int errorCode, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.errorCode = errorCode;
  }

  static RegistryException subjectNotFound(String subject) {
    return new RegistryException(404, 40401, "Subject '" + subject + "' not found.");
  }

  static RegistryException versionNotFound(int version) {
    return new RegistryException(404, 40402, "Version " + version + " not found.");
  }

  static RegistryException schemaNotFound(String what) {
    return new RegistryException(404, 40403, "Schema " + what + " not found");
  }

  static RegistryException invalidSchema(String detail) {
    return new RegistryException(422, 42201, "Invalid schema: " + detail);
  }

  static RegistryException invalidVersion(String version) {
    return new RegistryException(
        422,
        42202,
        "The specified version '"
            + version
            + "' is not a valid version id. "
            + "Allowed values are between [1, 2^31-1] and the string \"latest\"");
  }

  static RegistryException invalidCompatibility(String level) {
    return new RegistryException(
        422,
        42203,
        "Invalid compatibility level '"
            + level
            + "'. Valid values are "
            + Compatibility.VALID_VALUES);
  }

  static RegistryException incompatible(String subject, java.util.List<String> details) {
    return new RegistryException(
        409,
        409,
        "Schema being registered is incompatible with an earlier schema for "
            + "subject \""
            + subject
            + "\", details: "
            + details);
  }

  static RegistryException store(String detail, Throwable cause) {
    return new RegistryException(500, 50001, "Error in the backend data store - " + detail, cause);
  }

  static RegistryException timeout(String detail) {
    return new RegistryException(500, 50002, "Operation timed out - " + detail);
  }
}
