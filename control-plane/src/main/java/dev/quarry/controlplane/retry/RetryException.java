package dev.quarry.controlplane.retry;

/** A retry that cannot be made, with a message for the person who asked for it. */
public final class RetryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RetryException(String message) {
    super(message);
  }

  public RetryException(String message, Throwable cause) {
    super(message, cause);
  }
}
