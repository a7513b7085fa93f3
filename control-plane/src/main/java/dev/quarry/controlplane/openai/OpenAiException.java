package dev.quarry.controlplane.openai;

import dev.quarry.controlplane.api.ApiException;

/**
 * An error answered in OpenAI's shape, {@code {"error":{"message","type","param","code"}}}, with
 * OpenAI's HTTP status for it.
 */
final class OpenAiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  static final String INVALID_REQUEST = "invalid_request_error";

  private final int status;
  private final String type;
  private final String param;
  private final String code;

  OpenAiException(int status, String type, String message, String param, String code) {
    super(message);
    this.status = status;
    this.type = type;
    this.param = param;
    this.code = code;
  }

  int status() {
    return status;
  }

  String type() {
    return type;
  }

  String param() {
    return param;
  }

  String code() {
    return code;
  }

  /** A 400 about one request member. */
  static OpenAiException invalid(String message, String param, String code) {
    return new OpenAiException(400, INVALID_REQUEST, message, param, code);
  }

  /** A 400 for a member that is missing, worded as OpenAI words it. */
  static OpenAiException missing(String param) {
    return invalid(
        "Missing required parameter: '" + param + "'.", param, "missing_required_parameter");
  }

  /** A 400 for a member whose value is not one of {@code allowed}, worded as OpenAI words it. */
  static OpenAiException notOneOf(String param, String value, String... allowed) {
    StringBuilder list = new StringBuilder();
    for (int i = 0; i < allowed.length; i++) {
      list.append(i == 0 ? "" : i == allowed.length - 1 ? " and " : ", ")
          .append('\'')
          .append(allowed[i])
          .append('\'');
    }
    return invalid(
        "Invalid value: '" + value + "'. Supported values are: " + list + ".",
        param,
        "invalid_value");
  }

  /** A 404 for an object the caller's account does not have. */
  static OpenAiException notFound(String message, String param) {
    return new OpenAiException(404, INVALID_REQUEST, message, param, null);
  }

  /** A Quarry API error (a Create's checks, the request rate) in OpenAI's terms. */
  static OpenAiException of(ApiException e) {
    return switch (e.errorType()) {
      case "ThrottlingException" ->
          new OpenAiException(429, "requests", e.getMessage(), null, "rate_limit_exceeded");
      case "ServiceQuotaExceededException" ->
          new OpenAiException(429, "requests", e.getMessage(), null, "batch_queue_full");
      case "AccessDeniedException" ->
          new OpenAiException(403, INVALID_REQUEST, e.getMessage(), null, "permission_denied");
      case "ResourceNotFoundException" -> notFound(e.getMessage(), null);
      default ->
          e.status() >= 500
              ? new OpenAiException(500, "server_error", e.getMessage(), null, null)
              : new OpenAiException(e.status(), INVALID_REQUEST, e.getMessage(), null, null);
    };
  }
}
