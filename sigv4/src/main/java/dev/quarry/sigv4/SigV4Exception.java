package dev.quarry.sigv4;

/**
 * A request AWS would refuse with 403 before it reaches the service, with AWS's error code ({@code
 * MissingAuthenticationTokenException}, {@code IncompleteSignatureException}, {@code
 * UnrecognizedClientException}, {@code InvalidSignatureException}) and message.
 */
public final class SigV4Exception extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public static final String MISSING_AUTHENTICATION_TOKEN = "MissingAuthenticationTokenException";
  public static final String INCOMPLETE_SIGNATURE = "IncompleteSignatureException";
  public static final String UNRECOGNIZED_CLIENT = "UnrecognizedClientException";
  public static final String INVALID_SIGNATURE = "InvalidSignatureException";

  private final String errorCode;

  SigV4Exception(String errorCode, String message) {
    super(message, null, false, false);
    this.errorCode = errorCode;
  }

  /** The AWS error code, sent as {@code x-amzn-ErrorType} and {@code __type}. */
  public String errorCode() {
    return errorCode;
  }

  /** Always 403, as AWS answers every authentication failure. */
  public int status() {
    return 403;
  }
}
