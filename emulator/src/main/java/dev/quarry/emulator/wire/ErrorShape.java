package dev.quarry.emulator.wire;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * The modeled Bedrock Runtime error shapes the emulator emits, each with the HTTP status real
 * Bedrock uses.
 */
public enum ErrorShape {
  VALIDATION("ValidationException", HttpResponseStatus.BAD_REQUEST),
  ACCESS_DENIED("AccessDeniedException", HttpResponseStatus.FORBIDDEN),
  RESOURCE_NOT_FOUND("ResourceNotFoundException", HttpResponseStatus.NOT_FOUND),
  MODEL_TIMEOUT("ModelTimeoutException", HttpResponseStatus.REQUEST_TIMEOUT),
  MODEL_ERROR("ModelErrorException", HttpResponseStatus.FAILED_DEPENDENCY),
  THROTTLING("ThrottlingException", HttpResponseStatus.TOO_MANY_REQUESTS),
  INTERNAL_SERVER("InternalServerException", HttpResponseStatus.INTERNAL_SERVER_ERROR),
  SERVICE_UNAVAILABLE("ServiceUnavailableException", HttpResponseStatus.SERVICE_UNAVAILABLE),
  // Not modeled: the SDK surfaces it as the generic BedrockRuntimeException, as it would for a
  // wrong URL on AWS.
  UNKNOWN_OPERATION("UnknownOperationException", HttpResponseStatus.NOT_FOUND),
  // Not modeled either: AWS's authentication front door answers these before a request reaches
  // Bedrock.
  MISSING_AUTHENTICATION_TOKEN("MissingAuthenticationTokenException", HttpResponseStatus.FORBIDDEN),
  INCOMPLETE_SIGNATURE("IncompleteSignatureException", HttpResponseStatus.FORBIDDEN),
  INVALID_SIGNATURE("InvalidSignatureException", HttpResponseStatus.FORBIDDEN),
  UNRECOGNIZED_CLIENT("UnrecognizedClientException", HttpResponseStatus.FORBIDDEN);

  private final String shapeName;
  private final HttpResponseStatus status;

  ErrorShape(String shapeName, HttpResponseStatus status) {
    this.shapeName = shapeName;
    this.status = status;
  }

  /** The bare shape name, as sent in {@code x-amzn-ErrorType} and {@code __type}. */
  public String shapeName() {
    return shapeName;
  }

  /** The HTTP status Bedrock answers this error with. */
  public HttpResponseStatus status() {
    return status;
  }
}
