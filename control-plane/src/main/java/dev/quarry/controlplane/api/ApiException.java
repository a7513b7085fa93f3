package dev.quarry.controlplane.api;

/**
 * An error answered in the AWS REST-JSON error shape: the HTTP status, the modeled exception name
 * (sent as {@code x-amzn-ErrorType} and {@code __type}) and a message.
 */
public class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String errorType;

  public ApiException(int status, String errorType, String message) {
    super(message);
    this.status = status;
    this.errorType = errorType;
  }

  public int status() {
    return status;
  }

  public String errorType() {
    return errorType;
  }

  public static ApiException validation(String message) {
    return new ApiException(400, "ValidationException", message);
  }

  public static ApiException notFound(String message) {
    return new ApiException(404, "ResourceNotFoundException", message);
  }

  /** Bedrock models ConflictException as HTTP 400, not 409. */
  public static ApiException conflict(String message) {
    return new ApiException(400, "ConflictException", message);
  }

  public static ApiException tooManyTags(String message) {
    return new ApiException(400, "TooManyTagsException", message);
  }

  public static ApiException accessDenied(String message) {
    return new ApiException(403, "AccessDeniedException", message);
  }

  public static ApiException internal(String message) {
    return new ApiException(500, "InternalServerException", message);
  }

  public static ApiException unknownOperation(String method, String path) {
    return new ApiException(
        404, "UnknownOperationException", "No operation at " + method + " " + path);
  }
}
