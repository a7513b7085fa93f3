package dev.quarry.controlplane.store;

/**
 * A {@code nextToken} that this store did not issue, or issued for other filters or another sort
 * order; the API answers it with a ValidationException.
 */
public final class InvalidNextTokenException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidNextTokenException(String message) {
    super(message);
  }
}
