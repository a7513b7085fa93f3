package dev.quarry.job.invoke;

/**
 * The model answered 200 with a body that is not JSON; the record gets an error line (not retried).
 */
public class MalformedModelResponseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MalformedModelResponseException(String message) {
    super(message);
  }
}
